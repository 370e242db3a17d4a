// GCRA, a token bucket kept as one number per bucket: the time it will be full again (the theoretical arrival time).
import type { BucketSpec, BucketState, Decision } from './bucket-store.js'

/**
 * Slack in ms (one microsecond), so float rounding (7 × 60000/7 ms, or many small steps on a day-long window) never
 * refuses a unit that is due. The Lua script uses the same.
 */
const SLACK_MS = 1e-3
/** Slack in units when counting what is left. */
const SLACK_UNITS = 1e-6

export interface GcraResult extends Decision {
  /** The new full-again time of each bucket (unchanged ones included). */
  tats: number[]
}

/**
 * The decision for several buckets at once. `tats[i]` is when bucket i is full again (absent or ≤ now: full now).
 * A cost fits when, after adding cost × interval, the bucket is at most `windowMs` (its whole capacity) ahead of now.
 */
export function decide(
  tats: readonly (number | undefined)[],
  specs: readonly BucketSpec[],
  costs: readonly number[],
  now: number,
  force = false,
): GcraResult {
  const starts: number[] = []
  const ends: number[] = []
  let allowed = true
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i] as BucketSpec
    const start = Math.max(tats[i] ?? now, now)
    const end = start + (costs[i] as number) * (spec.windowMs / spec.limit)
    starts.push(start)
    ends.push(end)
    if (end - now > spec.windowMs + SLACK_MS) allowed = false
  }
  if (force) allowed = true
  const buckets: BucketState[] = []
  const next: number[] = []
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i] as BucketSpec
    const tat = allowed ? (ends[i] as number) : (starts[i] as number)
    const ahead = tat - now
    const over = (ends[i] as number) - now - spec.windowMs
    next.push(tat)
    buckets.push({
      remaining: Math.max(0, Math.floor((spec.windowMs - ahead) / (spec.windowMs / spec.limit) + SLACK_UNITS)),
      resetMs: Math.ceil(ahead),
      retryAfterMs: over > SLACK_MS ? Math.ceil(over) : 0,
    })
  }
  return { allowed, buckets, tats: next }
}
