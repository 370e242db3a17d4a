// RateLimit-Policy, RateLimit and Retry-After values in the shape of draft-ietf-httpapi-ratelimit-headers (pure).
import type { BucketState } from '../state/bucket-store.js'

/** The draft's units, plus `records` (produce records), which it has no unit for. */
export type QuotaUnit = 'requests' | 'content-bytes' | 'concurrent-requests' | 'records'

export interface PolicyItem {
  /** The policy name clients see, e.g. `produce` or `produce-bytes`; never a subject (the draft's `pk` is not sent). */
  name: string
  quota: number
  /** Absent for concurrency caps, which have no window. */
  windowSeconds?: number
  /** Absent means `requests`, the draft's default. */
  unit?: QuotaUnit
}

/** `"produce";q=100;w=60, "produce-bytes";q=1048576;qu="content-bytes";w=60`: built once per policy set. */
export function policyHeader(items: readonly PolicyItem[]): string {
  return items
    .map(({ name, quota, windowSeconds, unit }) => {
      let item = `"${name}";q=${quota}`
      if (unit && unit !== 'requests') item += `;qu="${unit}"`
      if (windowSeconds !== undefined) item += `;w=${windowSeconds}`
      return item
    })
    .join(', ')
}

/** `"produce";r=42;t=3`: remaining whole units and the seconds until the quota is whole again (rounded up). */
export function rateLimitHeader(names: readonly string[], states: readonly BucketState[]): string {
  let header = ''
  for (let i = 0; i < names.length; i++) {
    const state = states[i] as BucketState
    if (i > 0) header += ', '
    header += `"${names[i]}";r=${state.remaining};t=${Math.ceil(state.resetMs / 1000)}`
  }
  return header
}

/** Whole seconds, rounded up, and at least 1: a client that waits this long is never early. */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000))
}
