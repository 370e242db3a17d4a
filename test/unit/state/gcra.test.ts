// GCRA's guarantee (docs/security.md, rate limits), checked on random traffic — bursts up to the limit, then the steady rate, never more.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decide } from '../../../src/state/gcra.js'

describe('decide', () => {
  it('never lets more than limit × (1 + d / window) through in any interval of d ms', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 100, max: 10_000 }),
        fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 300 }),
        (limit, windowMs, gaps) => {
          const spec = [{ limit, windowMs }]
          let tat: number | undefined
          let now = 0
          const passed: number[] = []
          for (const gap of gaps) {
            now += gap
            const result = decide([tat], spec, [1], now)
            if (!result.allowed) continue
            tat = result.tats[0]
            passed.push(now)
          }
          // Every interval [passed[i], passed[j]] holds j - i + 1 requests; the bound is checked for all of them.
          for (let i = 0; i < passed.length; i++) {
            for (let j = i; j < passed.length; j++) {
              const d = (passed[j] as number) - (passed[i] as number)
              expect(j - i + 1).toBeLessThanOrEqual(limit * (1 + d / windowMs) + 1e-9)
            }
          }
        },
      ),
    )
  })

  it('lets a full burst through at one instant and refuses the next, whatever the limit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000 }), fc.integer({ min: 1, max: 86_400_000 }), (limit, windowMs) => {
        let tat: number | undefined
        for (let i = 0; i < limit; i++) {
          const result = decide([tat], [{ limit, windowMs }], [1], 0)
          expect(result.allowed).toBe(true)
          tat = result.tats[0]
        }
        expect(decide([tat], [{ limit, windowMs }], [1], 0).allowed).toBe(false)
      }),
    )
  })

  it('says how long until a refused cost fits, and it does fit then', () => {
    const spec = [{ limit: 10, windowMs: 60_000 }]
    const full = decide([undefined], spec, [10], 0).tats[0]
    const refused = decide([full], spec, [3], 1_000)
    expect(refused.allowed).toBe(false)
    const wait = refused.buckets[0]?.retryAfterMs as number
    expect(decide([full], spec, [3], 1_000 + wait - 1).allowed).toBe(false)
    expect(decide([full], spec, [3], 1_000 + wait).allowed).toBe(true)
  })
})
