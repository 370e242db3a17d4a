// LimitStore: where limit state lives (memory for one process, Redis for a fleet); every decision is one atomic step.

export type MaybePromise<T> = T | Promise<T>

/** A GCRA bucket: holds at most `limit` units and refills them evenly, `limit` per `windowMs`. */
export interface BucketSpec {
  readonly limit: number
  readonly windowMs: number
}

export interface BucketState {
  /** Whole units left after the decision. */
  remaining: number
  /** Milliseconds until the bucket is full again. */
  resetMs: number
  /** Milliseconds until the asked cost would fit (0 when it fits now). */
  retryAfterMs: number
}

export interface Decision {
  allowed: boolean
  /** One state per bucket, in the order asked. */
  buckets: BucketState[]
}

/**
 * Memory and Redis implement this and pass the same contract suite (test/contract/limit-store.contract.test.ts).
 *
 * Keys are the caller's: the limiter writes `{<partition>}:<bucket>`, so the `{…}` hash tag keeps every key of one
 * caller on one Redis Cluster slot and a multi-bucket decision stays one script. Other users of the shared records
 * (`get`/`set`/`delete`, e.g. consumer-instance ownership) should put a hash tag in their keys too and a prefix of
 * their own (`owner:{…}`), so they never collide with limit buckets. Redis adds the configured `keyPrefix` to all keys.
 *
 * Every method may throw or reject when the store is unreachable (Redis down, command timeout); callers decide
 * between failing open and failing closed.
 */
export interface LimitStore {
  /**
   * Takes `costs[i]` units from bucket `keys[i]` for every i, all or nothing: only when each bucket has room.
   * With `force` the units are taken regardless (charging a streamed body afterwards); the bucket may go into debt.
   * A cost of 0 takes nothing and reports the state.
   */
  consume(
    keys: readonly string[],
    specs: readonly BucketSpec[],
    costs: readonly number[],
    now: number,
    force?: boolean,
  ): MaybePromise<Decision>
  /** Takes one of `max` concurrent slots under `key` for at most `leaseMs`: a lease id, or undefined when all are taken. */
  acquire(key: string, max: number, leaseMs: number, now: number): MaybePromise<string | undefined>
  /** Gives a slot back; unknown or expired leases are ignored. */
  release(key: string, lease: string): MaybePromise<void>
  /** A small shared record, or undefined when absent or expired. */
  get(key: string): MaybePromise<string | undefined>
  /** Stores a record for `ttlMs` (setting it again refreshes the time to live). */
  set(key: string, value: string, ttlMs: number): MaybePromise<void>
  delete(key: string): MaybePromise<void>
  /** False while the store cannot answer (Redis disconnected); memory is always available. */
  isAvailable(): boolean
  /** Resolves once the store has tried to connect (at most its connect timeout). */
  warmUp(): Promise<void>
  close(): Promise<void>
}
