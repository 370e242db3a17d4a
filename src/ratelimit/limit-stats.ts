// Counters of the limiter's decisions and store failures, read by the metrics endpoint (plain numbers, no labels).

export interface LimitStats {
  /** Requests that passed every limit. */
  allowed: number
  /** Requests refused with 429 by a rate, quota or concurrency limit (after authentication). */
  limited: number
  /** Requests refused with 429 by the per-IP limit before authentication. */
  preAuthLimited: number
  /** Produce requests refused with 413 or cut off mid-upload. */
  tooLarge: number
  /** Consume long polls holding a concurrency slot on this replica now (a gauge, not a counter). */
  longPollsInFlight: number
  /** Store calls that failed (Redis down, timed out). */
  storeErrors: number
  /** Requests let through without a decision because the store failed (onStoreError: failOpen). */
  failedOpen: number
  /** Requests refused with 503 because the store failed (onStoreError: failClosed). */
  failedClosed: number
}

export function createLimitStats(): LimitStats {
  return {
    allowed: 0,
    limited: 0,
    preAuthLimited: 0,
    tooLarge: 0,
    longPollsInFlight: 0,
    storeErrors: 0,
    failedOpen: 0,
    failedClosed: 0,
  }
}
