// Reading for a consumer instance: its partitions, positions, fetches bounded by max_bytes, commits, long polls.
import { waitForAppend } from './append-waiter.js'
import { type ConsumerInstance, keyToPartition, partitionKey, type Subscription } from './consumer-instances.js'
import type { EmulatorState } from './handler-context.js'
import type { StoredRecord, TopicPartition, TopicStore } from './topic-store.js'

export interface FetchedRecord extends TopicPartition {
  record: StoredRecord
}

/** Topics the instance reads now: its list, the topics its pattern matches, or the topics of its assignment. */
export function subscribedTopics(instance: ConsumerInstance, store: TopicStore): string[] {
  const subscription = instance.subscription
  if (!subscription) return []
  if (subscription.kind === 'topics') return subscription.topics
  if (subscription.kind === 'pattern') return store.names().filter((name) => subscription.pattern.test(name))
  return [...new Set(subscription.partitions.map((tp) => tp.topic))]
}

/** Partitions the instance reads now (every group member reads every partition: there is no rebalancing). */
export function assignedPartitions(instance: ConsumerInstance, store: TopicStore): TopicPartition[] {
  const subscription = instance.subscription
  if (subscription?.kind === 'assignment') return subscription.partitions
  return subscribedTopics(instance, store).flatMap((topic) => store.partitionsOf(topic))
}

/**
 * Starts positions for the partitions that exist at subscription time: the group's committed offset, else
 * auto.offset.reset. Partitions that appear later start at the committed offset or 0 (see `positionOf`).
 */
export function initPositions(instance: ConsumerInstance, state: EmulatorState): void {
  for (const tp of assignedPartitions(instance, state.store)) {
    if (instance.positions.has(partitionKey(tp))) continue
    const reset = instance.config.autoOffsetReset === 'earliest' ? 0 : state.store.endOffset(tp.topic, tp.partition)
    instance.positions.set(partitionKey(tp), state.consumers.committedOffset(instance, tp) ?? reset)
  }
}

/** Replaces the subscription or assignment (undefined unsubscribes), keeping positions of partitions still read. */
export function setSubscription(
  instance: ConsumerInstance,
  subscription: Subscription | undefined,
  state: EmulatorState,
): void {
  instance.subscription = subscription
  const kept = new Set(assignedPartitions(instance, state.store).map(partitionKey))
  for (const key of instance.positions.keys()) if (!kept.has(key)) instance.positions.delete(key)
  initPositions(instance, state)
}

function positionOf(instance: ConsumerInstance, tp: TopicPartition, state: EmulatorState): number {
  return instance.positions.get(partitionKey(tp)) ?? state.consumers.committedOffset(instance, tp) ?? 0
}

/** Takes records from the current positions, at least one and then up to `maxBytes` of keys and values. */
export function fetchRecords(instance: ConsumerInstance, state: EmulatorState, maxBytes: number): FetchedRecord[] {
  const fetched: FetchedRecord[] = []
  let bytes = 0
  for (const tp of assignedPartitions(instance, state.store)) {
    for (const record of state.store.read(tp.topic, tp.partition, positionOf(instance, tp, state))) {
      bytes += (record.key?.length ?? 0) + (record.value?.length ?? 0)
      if (fetched.length > 0 && bytes > maxBytes) return advance(instance, state, fetched)
      fetched.push({ ...tp, record })
    }
  }
  return advance(instance, state, fetched)
}

function advance(instance: ConsumerInstance, state: EmulatorState, fetched: FetchedRecord[]): FetchedRecord[] {
  for (const { topic, partition, record } of fetched) {
    instance.positions.set(partitionKey({ topic, partition }), record.offset + 1)
    instance.consumed.set(partitionKey({ topic, partition }), record.offset)
  }
  if (instance.config.autoCommit && fetched.length > 0) commitPositions(instance, state)
  return fetched
}

/** Commits the instance's current positions (the next offsets to read) for its group. */
export function commitPositions(instance: ConsumerInstance, state: EmulatorState): void {
  for (const [key, position] of instance.positions) state.consumers.commit(instance, keyToPartition(key), position)
}

/** Fetches; when nothing is there, waits for a relevant append until `waitMs` passes or `signal` aborts. */
export async function pollRecords(
  instance: ConsumerInstance,
  state: EmulatorState,
  options: { maxBytes: number; waitMs: number; signal: AbortSignal },
): Promise<FetchedRecord[]> {
  const deadline = Date.now() + options.waitMs
  const isRelevant = (topic: string) => subscribedTopics(instance, state.store).includes(topic)
  for (;;) {
    const fetched = fetchRecords(instance, state, options.maxBytes)
    if (fetched.length > 0) return fetched
    const wake = await waitForAppend(state.store, isRelevant, deadline - Date.now(), options.signal)
    if (wake !== 'append') return []
  }
}
