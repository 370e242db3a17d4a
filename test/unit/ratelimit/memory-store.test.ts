// The memory store's own duties: bounded size, expired entries swept by an unref'd timer, decisions in microseconds.
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

  it('decides in microseconds: 200,000 decisions over 10,000 callers well within a second', () => {
    const store = createMemoryStore({ maxKeys: 100_000 })
    const keys = Array.from({ length: 10_000 }, (_, i) => [`{caller-${i}}:produce`])
    const specs = [{ limit: 100, windowMs: 60_000 }]
    const cost = [1]
    const started = process.hrtime.bigint()
    for (let i = 0; i < 200_000; i++) store.consume(keys[i % keys.length] as string[], specs, cost, 1_000 + i)
    const perDecisionUs = Number(process.hrtime.bigint() - started) / 1_000 / 200_000
    // Typically well under 1 µs here; the bound leaves room for a busy shared machine.
    expect(perDecisionUs).toBeLessThan(5)
    void store.close()
  })
})
