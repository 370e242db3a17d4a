// BucketStore: rate-limit state (token buckets and concurrent slots); every decision is one atomic step.

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
 * Memory and Redis implement this and pass the same contract suite (test/contract/bucket-store.contract.test.ts).
 *
 * Keys are the caller's: the limiter writes `{<partition>}:<bucket>`, so the `{…}` hash tag keeps every key of one
 * caller on one Redis Cluster slot and a multi-bucket decision stays one script. Redis adds the configured `keyPrefix`.
 *
 * Every method may throw or reject when the store is unreachable (Redis down, command timeout); callers decide
 * between failing open and failing closed. A command that failed is never applied later (see redis-state.ts).
 */
export interface BucketStore {
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
}
