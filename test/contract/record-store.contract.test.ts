// One behavioural suite for every RecordStore: in-process memory, and Redis / Redis Cluster on a real redis-server.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RecordStore } from '../../src/state/record-store.js'
import type { SharedState } from '../../src/state/shared-state.js'
import { stateBackends } from '../support/state-backends.js'

const { backends, close } = stateBackends()
afterAll(close)

const T0 = 1_700_000_000_000
const MINUTE = 60_000

describe.each(backends)('RecordStore contract: $name', ({ create }) => {
  let state: SharedState
  let store: RecordStore
  beforeAll(async () => {
    state = await create()
    store = state.records
  })
  afterAll(async () => {
    await state.close()
  })
  // A fresh key per test, so tests never share records.
  const fresh = (prefix = 'owner') => `${prefix}:{${randomUUID()}}`

  describe('claim', () => {
    it('takes a free record and reads it back', async () => {
      const key = fresh()
      expect(await store.read(key, T0)).toBeUndefined()
      expect(await store.claim(key, 'alice', MINUTE, T0)).toBe('alice')
      expect(await store.read(key, T0)).toBe('alice')
    })

    it('never overwrites another live holder, and says who holds it', async () => {
      const key = fresh()
      await store.claim(key, 'alice', MINUTE, T0)
      expect(await store.claim(key, 'bob', MINUTE, T0 + 1_000)).toBe('alice')
      expect(await store.read(key, T0 + 1_000)).toBe('alice')
    })

    it('lets exactly one of many concurrent claimants win', async () => {
      const key = fresh()
      const names = Array.from({ length: 20 }, (_, i) => `caller-${i}`)
      const holders = await Promise.all(names.map((name) => store.claim(key, name, MINUTE, T0)))
      const winner = await store.read(key, T0)
      expect(names).toContain(winner)
      expect(new Set(holders)).toEqual(new Set([winner]))
    })

    it('lets the holder claim again, which refreshes the record', async () => {
      const key = fresh()
      await store.claim(key, 'alice', MINUTE, T0)
      expect(await store.claim(key, 'alice', MINUTE, T0 + 50_000)).toBe('alice')
      expect(await store.read(key, T0 + 100_000)).toBe('alice')
    })

    it('can take a record whose holder expired (on the caller clock)', async () => {
      const key = fresh()
      await store.claim(key, 'alice', MINUTE, T0)
      expect(await store.read(key, T0 + MINUTE - 1)).toBe('alice')
      expect(await store.read(key, T0 + MINUTE)).toBeUndefined()
      expect(await store.claim(key, 'bob', MINUTE, T0 + MINUTE)).toBe('bob')
    })
  })

  describe('refresh and release compare the holder first', () => {
    it('refreshes only for the holder', async () => {
      const key = fresh()
      await store.claim(key, 'alice', MINUTE, T0)
      expect(await store.refresh(key, 'bob', MINUTE, T0 + 50_000)).toBe(false)
      expect(await store.read(key, T0 + MINUTE)).toBeUndefined()
      await store.claim(key, 'alice', MINUTE, T0)
      expect(await store.refresh(key, 'alice', MINUTE, T0 + 50_000)).toBe(true)
      expect(await store.read(key, T0 + 100_000)).toBe('alice')
    })

    it('does not bring back an expired record', async () => {
      const key = fresh()
      await store.claim(key, 'alice', MINUTE, T0)
      expect(await store.refresh(key, 'alice', MINUTE, T0 + MINUTE)).toBe(false)
      expect(await store.read(key, T0 + MINUTE)).toBeUndefined()
    })

    it('releases only for the holder', async () => {
      const key = fresh()
      await store.claim(key, 'alice', MINUTE, T0)
      expect(await store.release(key, 'bob', T0)).toBe(false)
      expect(await store.read(key, T0)).toBe('alice')
      expect(await store.release(key, 'alice', T0)).toBe(true)
      expect(await store.read(key, T0)).toBeUndefined()
      expect(await store.claim(key, 'bob', MINUTE, T0)).toBe('bob')
    })
  })

  describe('bounded member sets', () => {
    it('admits at most max live members, and a member already in counts once', async () => {
      const set = fresh('owned')
      const joined = await Promise.all(['a', 'b', 'c', 'd'].map((m) => store.join(set, m, 3, MINUTE, T0)))
      expect(joined.filter(Boolean)).toHaveLength(3)
      const inside = ['a', 'b', 'c', 'd'].filter((_, i) => joined[i])
      expect(await store.join(set, inside[0] as string, 3, MINUTE, T0)).toBe(true)
      expect(await store.join(set, 'e', 3, MINUTE, T0)).toBe(false)
    })

    it('frees a place when a member leaves or expires', async () => {
      const set = fresh('owned')
      await store.join(set, 'a', 2, MINUTE, T0)
      await store.join(set, 'b', 2, 2 * MINUTE, T0)
      expect(await store.join(set, 'c', 2, MINUTE, T0)).toBe(false)
      await store.leave(set, 'a')
      expect(await store.join(set, 'c', 2, MINUTE, T0)).toBe(true)
      expect(await store.join(set, 'd', 2, MINUTE, T0 + MINUTE - 1)).toBe(false)
      // `c` expired; `b` lives on.
      expect(await store.join(set, 'd', 2, MINUTE, T0 + MINUTE)).toBe(true)
      expect(await store.join(set, 'e', 2, MINUTE, T0 + MINUTE)).toBe(false)
    })

    it('refreshing a member extends its life', async () => {
      const set = fresh('owned')
      await store.join(set, 'a', 1, MINUTE, T0)
      expect(await store.join(set, 'a', 1, MINUTE, T0 + 50_000)).toBe(true)
      expect(await store.join(set, 'b', 1, MINUTE, T0 + 100_000)).toBe(false)
    })

    it('swaps a member for another in one step, even when full', async () => {
      const set = fresh('owned')
      await store.join(set, 'pending', 1, MINUTE, T0)
      expect(await store.join(set, 'instance', 1, MINUTE, T0)).toBe(false)
      expect(await store.join(set, 'instance', 1, MINUTE, T0, 'pending')).toBe(true)
      expect(await store.join(set, 'other', 1, MINUTE, T0)).toBe(false)
      await store.leave(set, 'instance')
      expect(await store.join(set, 'other', 1, MINUTE, T0)).toBe(true)
    })

    it('ignores leaving an unknown member or set', async () => {
      await expect(Promise.resolve(store.leave(fresh('owned'), 'nobody'))).resolves.toBeUndefined()
    })
  })
})
