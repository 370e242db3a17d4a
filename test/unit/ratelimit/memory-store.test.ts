// The memory store's own duties: bounded size, expired entries swept by an unref'd timer, many callers kept apart.
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Decision } from '../../../src/ratelimit/limit-store.js'
import { createMemoryStore } from '../../../src/ratelimit/memory-store.js'

const spec = [{ limit: 2, windowMs: 1_000 }]
afterEach(() => {
  vi.useRealTimers()
})

describe('createMemoryStore', () => {
  it('drops the oldest bucket when full, so memory stays bounded whatever the number of callers', () => {
    const store = createMemoryStore({ maxKeys: 3 })
    for (const key of ['a', 'b', 'c', 'd']) store.consume([key], spec, [2], 0)
    // `a` was dropped to make room for `d`: its bucket starts full again; `b` is still spent.
    expect((store.consume(['a'], spec, [0], 0) as Decision).buckets[0]?.remaining).toBe(2)
    expect((store.consume(['b'], spec, [0], 0) as Decision).buckets[0]?.remaining).toBe(0)
    void store.close()
  })

  it('sweeps full-again buckets instead of dropping live ones when it can', () => {
    const store = createMemoryStore({ maxKeys: 2 })
    store.consume(['old'], spec, [1], 0)
    store.consume(['live'], spec, [2], 600)
    // At 1100 `old` is full again (swept); `live` is not, survives the new key, and has won back one unit of two.
    store.consume(['new'], spec, [1], 1_100)
    expect((store.consume(['live'], spec, [0], 1_100) as Decision).buckets[0]?.remaining).toBe(1)
    void store.close()
  })

  it('sweeps expired entries on an unref-ed timer, and stops it on close', async () => {
    vi.useFakeTimers()
    const store = createMemoryStore({ maxKeys: 10, sweepIntervalMs: 1_000 })
    store.set('record', 'x', 500)
    expect(vi.getTimerCount()).toBe(1)
    vi.advanceTimersByTime(1_000)
    expect(store.get('record')).toBeUndefined()
    await store.close()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('keeps 10,000 callers apart over 200,000 decisions: each bucket counts only its own caller', () => {
    // How fast these decisions are is measured by bench/store-decisions.ts, not asserted here.
    const store = createMemoryStore({ maxKeys: 100_000 })
    const keys = Array.from({ length: 10_000 }, (_, i) => [`{caller-${i}}:produce`])
    const specs = [{ limit: 100, windowMs: 60_000 }]
    let allowed = 0
    for (let i = 0; i < 200_000; i++) {
      if ((store.consume(keys[i % keys.length] as string[], specs, [1], 1_000) as Decision).allowed) allowed++
    }
    expect(allowed).toBe(200_000)
    const remaining = new Set(
      keys.map((key) => (store.consume(key, specs, [0], 1_000) as Decision).buckets[0]?.remaining),
    )
    expect([...remaining]).toEqual([80]) // 20 decisions each, none lost to eviction or shared with another caller
    void store.close()
  })
})
