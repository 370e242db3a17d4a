// One behavioural suite for every BucketStore: in-process memory, and Redis / Redis Cluster on a real redis-server.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BucketSpec, BucketStore } from '../../src/state/bucket-store.js'
import type { SharedState } from '../../src/state/shared-state.js'
import { stateBackends } from '../support/state-backends.js'

const { backends, close } = stateBackends()
afterAll(close)

const T0 = 1_700_000_000_000
const tenPerMinute: BucketSpec = { limit: 10, windowMs: 60_000 }
const perMinute = (limit: number): BucketSpec => ({ limit, windowMs: 60_000 })

describe.each(backends)('BucketStore contract: $name', ({ create }) => {
  let state: SharedState
  let store: BucketStore
  // A fresh key per test, so tests never share buckets.
  let key: string
  beforeAll(async () => {
    state = await create()
    store = state.buckets
  })
  afterAll(async () => {
    await state.close()
  })
  const fresh = (name = 'b') => `{${randomUUID()}}:${name}`
  const take = (cost = 1, now = T0, spec = tenPerMinute) => store.consume([key], [spec], [cost], now)

  describe('one bucket', () => {
    beforeAll(() => {
      key = fresh()
    })

    it('lets a full burst through, counting down, then refuses with the time until one unit returns', async () => {
      const remaining: number[] = []
      for (let i = 0; i < 10; i++) {
        const decision = await take()
        expect(decision.allowed).toBe(true)
        remaining.push(decision.buckets[0]?.remaining as number)
      }
      expect(remaining).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0])
      const refused = await take()
      expect(refused).toEqual({ allowed: false, buckets: [{ remaining: 0, resetMs: 60_000, retryAfterMs: 6_000 }] })
    })

    it('refills one unit per interval, never earlier', async () => {
      expect((await take(1, T0 + 5_999)).allowed).toBe(false)
      const decision = await take(1, T0 + 6_000)
      expect(decision).toEqual({ allowed: true, buckets: [{ remaining: 0, resetMs: 60_000, retryAfterMs: 0 }] })
      expect((await take(1, T0 + 6_001)).buckets[0]?.retryAfterMs).toBe(5_999)
    })

    it('is full again once the whole window has passed', async () => {
      const decision = await take(0, T0 + 6_000 + 60_000)
      expect(decision.buckets[0]).toEqual({ remaining: 10, resetMs: 0, retryAfterMs: 0 })
    })
  })

  it('keeps keys apart', async () => {
    key = fresh()
    await take(10)
    expect((await take()).allowed).toBe(false)
    expect((await store.consume([fresh()], [tenPerMinute], [1], T0)).allowed).toBe(true)
  })

  it('takes exactly the limit under concurrent decisions', async () => {
    key = fresh()
    const decisions = await Promise.all(Array.from({ length: 40 }, () => take()))
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10)
  })

  it('counts a fractional interval exactly (7 per minute lets 7 through)', async () => {
    key = fresh()
    const allowed = []
    for (let i = 0; i < 9; i++) allowed.push((await take(1, T0, perMinute(7))).allowed)
    expect(allowed.filter(Boolean)).toHaveLength(7)
  })

  it('weighs a cost: 600 bytes of a 1000-byte bucket leave 400, and 500 more are refused', async () => {
    key = fresh()
    expect((await take(600, T0, perMinute(1000))).buckets[0]?.remaining).toBe(400)
    const refused = await take(500, T0, perMinute(1000))
    expect(refused.allowed).toBe(false)
    expect(refused.buckets[0]).toEqual({ remaining: 400, resetMs: 36_000, retryAfterMs: 6_000 })
  })

  it('decides several buckets of one caller all or nothing', async () => {
    // One caller's keys share their hash tag, as the limiter writes them: one slot on a cluster.
    const tag = randomUUID()
    const requests = `{${tag}}:requests`
    const bytes = `{${tag}}:bytes`
    const specs = [tenPerMinute, perMinute(1000)]
    expect((await store.consume([requests, bytes], specs, [1, 900], T0)).allowed).toBe(true)
    const refused = await store.consume([requests, bytes], specs, [1, 200], T0)
    expect(refused.allowed).toBe(false)
    expect(refused.buckets.map((b) => b.retryAfterMs)).toEqual([0, 6_000])
    // Nothing was taken from the request bucket by the refused decision.
    expect((await store.consume([requests, bytes], specs, [0, 0], T0)).buckets[0]?.remaining).toBe(9)
  })

  it('charges with force past the limit, and a debt refuses even a zero cost until it is paid', async () => {
    key = fresh()
    expect((await take(15, T0, tenPerMinute)).allowed).toBe(false)
    expect((await store.consume([key], [tenPerMinute], [15], T0, true)).allowed).toBe(true)
    const inDebt = await take(0)
    expect(inDebt.allowed).toBe(false)
    expect(inDebt.buckets[0]).toEqual({ remaining: 0, resetMs: 90_000, retryAfterMs: 30_000 })
    expect((await take(0, T0 + 30_000)).allowed).toBe(true)
  })

  describe('concurrent slots', () => {
    it('hands out at most max leases, and a released one can be taken again', async () => {
      key = fresh('slots')
      const leases = await Promise.all(Array.from({ length: 5 }, () => store.acquire(key, 3, 30_000, T0)))
      const taken = leases.filter((lease): lease is string => lease !== undefined)
      expect(taken).toHaveLength(3)
      expect(new Set(taken).size).toBe(3)
      await store.release(key, taken[0] as string)
      expect(await store.acquire(key, 3, 30_000, T0)).toBeTypeOf('string')
      expect(await store.acquire(key, 3, 30_000, T0)).toBeUndefined()
    })

    it('lets an expired lease go, so a crashed holder cannot keep a slot', async () => {
      key = fresh('slots')
      expect(await store.acquire(key, 1, 1_000, T0)).toBeTypeOf('string')
      expect(await store.acquire(key, 1, 1_000, T0 + 999)).toBeUndefined()
      expect(await store.acquire(key, 1, 1_000, T0 + 1_000)).toBeTypeOf('string')
    })

    it('ignores releasing an unknown lease', async () => {
      await expect(Promise.resolve(store.release(fresh('slots'), 'nope'))).resolves.toBeUndefined()
    })
  })

  it('reports itself available', () => {
    expect(state.isAvailable()).toBe(true)
  })
})
