// RecordStore: small shared records that belong to someone (consumer ownership), claimed and changed only by compare-and-set.
import type { MaybePromise } from './bucket-store.js'

/**
 * Memory and Redis implement this and pass the same contract suite (test/contract/record-store.contract.test.ts).
 * Time is the caller's `now` (ms): a record or member is alive while `now` is before its expiry.
 *
 * Keys should carry a prefix of their own (`owner:`, `owned:`) so they never meet rate-limit buckets, and a `{…}` hash tag.
 * Every method may throw or reject when the store is unreachable; a failed command is never applied later.
 */
export interface RecordStore {
  /**
   * Takes `key` for `value` for `ttlMs` unless another value holds it. Returns the value that holds it afterwards:
   * `value` when taken (or already held by `value`, which refreshes it), else the other holder, unchanged.
   */
  claim(key: string, value: string, ttlMs: number, now: number): MaybePromise<string>
  /** The value holding `key`, or undefined when none (or it expired). */
  read(key: string, now: number): MaybePromise<string | undefined>
  /** Extends the record's life to `now + ttlMs` only while `value` holds it; false when it does not (any more). */
  refresh(key: string, value: string, ttlMs: number, now: number): MaybePromise<boolean>
  /** Deletes the record only while `value` holds it; false when it does not. */
  release(key: string, value: string, now: number): MaybePromise<boolean>
  /**
   * Adds `member` to the bounded set `set` until `now + ttlMs` (each member expires on its own), or refreshes it when it
   * is there. In the same atomic step, `replacing` (when given) leaves first. False, and nothing changes but the
   * leaving, when the set already holds `max` live members.
   */
  join(set: string, member: string, max: number, ttlMs: number, now: number, replacing?: string): MaybePromise<boolean>
  /** Removes `member` from `set`; absent members are ignored. */
  leave(set: string, member: string): MaybePromise<void>
}
