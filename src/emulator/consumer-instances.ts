// Consumer instance state: separate v1 and v2 instance maps, and committed offsets per version and group.
import type { ApiVersion, EmbeddedFormat } from './media-types.js'
import { errors } from './rest-error.js'
import type { TopicPartition } from './topic-store.js'

export interface ConsumerConfig {
  format: EmbeddedFormat
  autoOffsetReset: 'earliest' | 'latest'
  autoCommit: boolean
  /** Per-instance `consumer.request.timeout.ms`, if given at creation. */
  requestTimeoutMs: number | undefined
}

export type Subscription =
  | { kind: 'topics'; topics: string[] }
  | { kind: 'pattern'; pattern: RegExp }
  | { kind: 'assignment'; partitions: TopicPartition[] }

export interface ConsumerInstance {
  readonly version: ApiVersion
  readonly group: string
  readonly id: string
  readonly config: ConsumerConfig
  subscription: Subscription | undefined
  /** Next offset to read, by partitionKey. */
  readonly positions: Map<string, number>
  /** Offset of the last record handed out, by partitionKey (the v1 commit report). */
  readonly consumed: Map<string, number>
}

export const partitionKey = (tp: TopicPartition): string => `${tp.partition}:${tp.topic}`

export function keyToPartition(key: string): TopicPartition {
  const colon = key.indexOf(':')
  return { topic: key.slice(colon + 1), partition: Number(key.slice(0, colon)) }
}

export class ConsumerRegistry {
  private readonly instances: Record<ApiVersion, Map<string, ConsumerInstance>> = { v1: new Map(), v2: new Map() }
  /** `${version}:${group}` → partitionKey → next offset to read. */
  private readonly committed = new Map<string, Map<string, number>>()

  create(version: ApiVersion, group: string, id: string, config: ConsumerConfig): ConsumerInstance {
    const map = this.instances[version]
    const key = instanceKey(group, id)
    if (map.has(key)) throw errors.instanceExists()
    const instance: ConsumerInstance = {
      version,
      group,
      id,
      config,
      subscription: undefined,
      positions: new Map(),
      consumed: new Map(),
    }
    map.set(key, instance)
    return instance
  }

  /** The instance in the first of `versions` that has it; 404/40403 otherwise. */
  find(versions: ApiVersion[], group: string, id: string): ConsumerInstance {
    for (const version of versions) {
      const instance = this.instances[version].get(instanceKey(group, id))
      if (instance) return instance
    }
    throw errors.instanceNotFound()
  }

  delete(instance: ConsumerInstance): void {
    this.instances[instance.version].delete(instanceKey(instance.group, instance.id))
  }

  committedOffset(instance: ConsumerInstance, tp: TopicPartition): number | undefined {
    return this.groupOffsets(instance).get(partitionKey(tp))
  }

  commit(instance: ConsumerInstance, tp: TopicPartition, nextOffset: number): void {
    this.groupOffsets(instance).set(partitionKey(tp), nextOffset)
  }

  private groupOffsets(instance: ConsumerInstance): Map<string, number> {
    const key = `${instance.version}:${instance.group}`
    let offsets = this.committed.get(key)
    if (!offsets) {
      offsets = new Map()
      this.committed.set(key, offsets)
    }
    return offsets
  }
}

const instanceKey = (group: string, id: string): string => JSON.stringify([group, id])
