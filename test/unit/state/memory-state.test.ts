// The memory state's own duties: bounded size, least recently used buckets go first, live records never go at all.
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Decision } from '../../../src/state/bucket-store.js'
import { createMemoryState } from '../../../src/state/memory-state.js'

const spec = [{ limit: 2, windowMs: 1_000 }]
const MINUTE = 60_000
afterEach(() => {
  vi.useRealTimers()
})

const remaining = (decision: unknown) => (decision as Decision).buckets[0]?.remaining

describe('createMemoryState', () => {
  it('drops the least recently used bucket when full, so memory stays bounded whatever the number of callers', () => {
    const { buckets, close } = createMemoryState({ maxKeys: 3 })
    for (const key of ['a', 'b', 'c']) buckets.consume([key], spec, [2], 0)
    // `a` is used again, so `b` is now the least recently used and makes room for `d`.
    buckets.consume(['a'], spec, [0], 0)
    buckets.consume(['d'], spec, [2], 0)
    expect(remaining(buckets.consume(['b'], spec, [0], 0))).toBe(2)
    expect(remaining(buckets.consume(['a'], spec, [0], 0))).toBe(0)
    void close()
  })

  it('evicts buckets, never live records, to make room for records', () => {
    const { buckets, records, close } = createMemoryState({ maxKeys: 4 })
    for (const key of ['a', 'b', 'c', 'd']) buckets.consume([key], spec, [2], 0)
    expect(records.claim('owner:{1}', 'alice', MINUTE, 0)).toBe('alice')
    expect(records.join('owned:{alice}', 'owner:{1}', 5, MINUTE, 0)).toBe(true)
    // Records may use half the room: a third live one is refused rather than evicting alice's.
    expect(() => records.claim('owner:{2}', 'mallory', MINUTE, 0)).toThrow(/full of live records/)
    expect(records.read('owner:{1}', 0)).toBe('alice')
    // Two buckets went for the two records; the most recently used ones stayed.
    expect(remaining(buckets.consume(['a'], spec, [0], 0))).toBe(2)
    expect(remaining(buckets.consume(['d'], spec, [0], 0))).toBe(0)
    void close()
  })

  it('makes room from expired records before refusing a claim', () => {
    const { records, close } = createMemoryState({ maxKeys: 2 })
    records.claim('owner:{old}', 'alice', 1_000, 0)
    expect(() => records.claim('owner:{new}', 'bob', MINUTE, 500)).toThrow(/full/)
    expect(records.claim('owner:{new}', 'bob', MINUTE, 1_000)).toBe('bob')
    void close()
  })

  it('sweeps expired entries on an unref-ed timer (on the store clock), and stops it on close', async () => {
    vi.useFakeTimers()
    const { buckets, records, close } = createMemoryState({ maxKeys: 3, sweepIntervalMs: 1_000 })
    records.claim('owner:{a}', 'x', 500, 0)
    for (const key of ['x', 'y']) buckets.consume([key], spec, [2], 0)
    // The store learns the time from its callers: this moves it past the record's expiry (the buckets still live).
    records.read('owner:{b}', 600)
    expect(vi.getTimerCount()).toBe(1)
    vi.advanceTimersByTime(1_000)
    // The swept record left room: a new bucket evicts nobody, so `x` is still half spent.
    buckets.consume(['z'], spec, [1], 600)
    expect(remaining(buckets.consume(['x'], spec, [0], 600))).toBe(1)
    await close()
    expect(vi.getTimerCount()).toBe(0)
  })
})
