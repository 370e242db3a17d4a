// The in-process LimitStore: bounded maps, expired entries swept by an unref'd timer, decisions in microseconds.
import { decide } from './gcra.js'
import type { BucketSpec, Decision, LimitStore } from './limit-store.js'

export interface MemoryStoreOptions {
  /** Most entries kept in each map (buckets, slot sets, records); past it the oldest entry is dropped. */
  maxKeys: number
  sweepIntervalMs?: number
}

interface Expiring {
  value: string
  expiresAt: number
}

export function createMemoryStore({ maxKeys, sweepIntervalMs = 10_000 }: MemoryStoreOptions): LimitStore {
  const buckets = new Map<string, number>()
  const slots = new Map<string, Map<string, number>>()
  const records = new Map<string, Expiring>()
  // The store's sense of time is the latest `now` it was given, so an injected clock also drives the sweeper.
  let latest = 0
  let nextLease = 0
  const seen = (now: number) => {
    if (now > latest) latest = now
  }

  function sweep(): void {
    for (const [key, tat] of buckets) if (tat <= latest) buckets.delete(key)
    for (const [key, leases] of slots) {
      for (const [lease, expiresAt] of leases) if (expiresAt <= latest) leases.delete(lease)
      if (leases.size === 0) slots.delete(key)
    }
    for (const [key, record] of records) if (record.expiresAt <= Date.now()) records.delete(key)
  }

  /** Makes room for one new key: sweep first, then drop the oldest insertion (Maps iterate in insertion order). */
  function makeRoom(map: Map<string, unknown>): void {
    if (map.size < maxKeys) return
    sweep()
    if (map.size >= maxKeys) map.delete(map.keys().next().value as string)
  }

  const timer = setInterval(sweep, sweepIntervalMs)
  timer.unref()

  return {
    consume(keys, specs: readonly BucketSpec[], costs, now, force): Decision {
      seen(now)
      const tats: (number | undefined)[] = []
      for (const key of keys) tats.push(buckets.get(key))
      const result = decide(tats, specs, costs, now, force)
      if (result.allowed) {
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i] as string
          const tat = result.tats[i] as number
          if (tat <= now || tat === tats[i]) continue
          if (tats[i] === undefined) makeRoom(buckets)
          buckets.set(key, tat)
        }
      }
      return { allowed: result.allowed, buckets: result.buckets }
    },
    acquire(key, max, leaseMs, now) {
      seen(now)
      let leases = slots.get(key)
      if (leases) for (const [lease, expiresAt] of leases) if (expiresAt <= now) leases.delete(lease)
      if ((leases?.size ?? 0) >= max) return undefined
      if (!leases) {
        makeRoom(slots)
        leases = new Map()
        slots.set(key, leases)
      }
      const lease = String(++nextLease)
      leases.set(lease, now + leaseMs)
      return lease
    },
    release(key, lease) {
      const leases = slots.get(key)
      leases?.delete(lease)
      if (leases?.size === 0) slots.delete(key)
    },
    get(key) {
      const record = records.get(key)
      if (!record) return undefined
      if (record.expiresAt > Date.now()) return record.value
      records.delete(key)
      return undefined
    },
    set(key, value, ttlMs) {
      if (!records.has(key)) makeRoom(records)
      records.set(key, { value, expiresAt: Date.now() + ttlMs })
    },
    delete(key) {
      records.delete(key)
    },
    isAvailable: () => true,
    warmUp: async () => {},
    async close() {
      clearInterval(timer)
    },
  }
}
