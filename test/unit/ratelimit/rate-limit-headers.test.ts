// RateLimit-Policy, RateLimit and Retry-After values in the shape of the IETF ratelimit-headers draft.
import { describe, expect, it } from 'vitest'
import { policyHeader, rateLimitHeader, retryAfterSeconds } from '../../../src/ratelimit/rate-limit-headers.js'

describe('policyHeader', () => {
  it('lists each policy with its quota, unit (when not requests) and window', () => {
    expect(
      policyHeader([
        { name: 'produce', quota: 100, windowSeconds: 60 },
        { name: 'produce-bytes', quota: 1048576, windowSeconds: 60, unit: 'content-bytes' },
        { name: 'consume-concurrency', quota: 4, unit: 'concurrent-requests' },
      ]),
    ).toBe(
      '"produce";q=100;w=60, "produce-bytes";q=1048576;qu="content-bytes";w=60, "consume-concurrency";q=4;qu="concurrent-requests"',
    )
  })
})

describe('rateLimitHeader', () => {
  it('gives remaining units and whole seconds until full, rounded up', () => {
    const states = [
      { remaining: 42, resetMs: 2_001, retryAfterMs: 0 },
      { remaining: 0, resetMs: 60_000, retryAfterMs: 500 },
    ]
    expect(rateLimitHeader(['produce', 'produce-bytes'], states)).toBe('"produce";r=42;t=3, "produce-bytes";r=0;t=60')
  })
})

describe('retryAfterSeconds', () => {
  it.each([
    [1, 1],
    [999, 1],
    [1_000, 1],
    [1_001, 2],
    [12_000, 12],
    [0, 1],
  ])('%i ms → %i s, never earlier than the wait', (ms, seconds) => {
    expect(retryAfterSeconds(ms)).toBe(seconds)
  })
})
