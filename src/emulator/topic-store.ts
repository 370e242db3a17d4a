// The in-memory Kafka log: topics → partitions → records, with append notifications for long polls.

export interface StoredRecord {
  key: Buffer | null
  value: Buffer | null
  offset: number
}

export interface TopicPartition {
  topic: string
  partition: number
}

type AppendListener = (topic: string, partition: number) => void

export class TopicStore {
  private readonly topics = new Map<string, StoredRecord[][]>()
  private readonly listeners = new Set<AppendListener>()
  private roundRobin = 0

  constructor(initial: Record<string, number>) {
    for (const [name, count] of Object.entries(initial)) this.create(name, count)
  }

  names(): string[] {
    return [...this.topics.keys()].sort()
  }

  partitionCount(topic: string): number | undefined {
    return this.topics.get(topic)?.length
  }

  hasPartition(topic: string, partition: number): boolean {
    return Number.isInteger(partition) && partition >= 0 && partition < (this.partitionCount(topic) ?? 0)
  }

  /** Auto-creates an unknown topic with one partition, like `auto.create.topics.enable`. */
  ensure(topic: string): number {
    return this.partitionCount(topic) ?? this.create(topic, 1)
  }

  partitionsOf(topic: string): TopicPartition[] {
    const count = this.partitionCount(topic) ?? 0
    return Array.from({ length: count }, (_, partition) => ({ topic, partition }))
  }

  /** Partition for a record without an explicit one: key hash when keyed, else round robin. */
  choosePartition(topic: string, key: Buffer | null): number {
    const count = this.ensure(topic)
    if (key) return hashBytes(key) % count
    this.roundRobin = (this.roundRobin + 1) % Number.MAX_SAFE_INTEGER
    return this.roundRobin % count
  }

  append(topic: string, partition: number, key: Buffer | null, value: Buffer | null): number {
    const log = this.log(topic, partition)
    const offset = log.length
    log.push({ key, value, offset })
    for (const listener of this.listeners) listener(topic, partition)
    return offset
  }

  read(topic: string, partition: number, fromOffset: number, count = Number.POSITIVE_INFINITY): StoredRecord[] {
    const log = this.topics.get(topic)?.[partition] ?? []
    const start = Math.max(0, fromOffset)
    return log.slice(start, start + count)
  }

  endOffset(topic: string, partition: number): number {
    return this.topics.get(topic)?.[partition]?.length ?? 0
  }

  /** Registers an append listener; returns its unsubscribe function. */
  onAppend(listener: AppendListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private create(topic: string, count: number): number {
    const partitions = Math.max(1, Math.floor(count))
    this.topics.set(
      topic,
      Array.from({ length: partitions }, () => []),
    )
    return partitions
  }

  private log(topic: string, partition: number): StoredRecord[] {
    const log = this.topics.get(topic)?.[partition]
    if (!log) throw new RangeError(`No partition ${partition} in topic ${topic}`)
    return log
  }
}

/** FNV-1a over the key bytes: stable partitioning for keyed records. */
function hashBytes(bytes: Buffer): number {
  let hash = 0x811c9dc5
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0
  return hash
}
