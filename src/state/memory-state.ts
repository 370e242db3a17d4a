// The in-process SharedState: bounded maps on the caller's clock; buckets go first, live records never go for others.
import type { BucketSpec, BucketStore, Decision } from './bucket-store.js'
import { decide } from './gcra.js'
import type { RecordStore } from './record-store.js'
import type { SharedState } from './shared-state.js'

export interface MemoryStateOptions {
  /** Most entries kept in all (buckets, slot sets, records, member sets); records and sets may use half of it. */
  maxKeys: number
  sweepIntervalMs?: number
}

interface Expiring {
  value: string
  expiresAt: number
}

export function createMemoryState({ maxKeys, sweepIntervalMs = 10_000 }: MemoryStateOptions): SharedState {
  // Rate-limit state, in least-recently-used order (a Map iterates in insertion order; every write moves a key last).
  const buckets = new Map<string, number>()
  const slots = new Map<string, Map<string, number>>()
  // Records and member sets: never evicted while alive, so one caller's creates cannot push out another's instance.
  const records = new Map<string, Expiring>()
  const sets = new Map<string, Map<string, number>>()
  const maxRecords = Math.max(1, Math.floor(maxKeys / 2))
  // The store's sense of time is the latest `now` it was given, so an injected clock also drives the sweeper.
  let latest = 0
  let nextLease = 0
  const seen = (now: number) => {
    if (now > latest) latest = now
  }
  const size = () => buckets.size + slots.size + records.size + sets.size

  function sweepLimits(): void {
    for (const [key, tat] of buckets) if (tat <= latest) buckets.delete(key)
    sweepSets(slots, latest)
  }

  function sweepRecords(): void {
    for (const [key, record] of records) if (record.expiresAt <= latest) records.delete(key)
    sweepSets(sets, latest)
  }

  /** Room for one more entry of any kind: the least recently used bucket goes first, then the oldest slot set. */
  function evictForOne(): void {
    if (size() < maxKeys) return
    const victims = buckets.size > 0 ? buckets : slots
    const oldest = victims.keys().next()
    if (!oldest.done) victims.delete(oldest.value)
  }

  /** Room for one more record or set; throws when live ones already use their half (never evicts one). */
  function roomForRecord(): void {
    // A full sweep only when full: refused creates are rate-limited, so this stays rare and bounded.
    if (records.size + sets.size >= maxRecords) sweepRecords()
    if (records.size + sets.size >= maxRecords) throw new Error('the memory store is full of live records')
    evictForOne()
  }

  const timer = setInterval(() => {
    sweepLimits()
    sweepRecords()
  }, sweepIntervalMs)
  timer.unref()

  const bucketStore: BucketStore = {
    consume(keys, specs: readonly BucketSpec[], costs, now, force): Decision {
      seen(now)
      const tats: (number | undefined)[] = []
      for (const key of keys) tats.push(buckets.get(key))
      const result = decide(tats, specs, costs, now, force)
      if (result.allowed) {
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i] as string
          const tat = result.tats[i] as number
          if (tat <= now) continue
          if (tats[i] === undefined) evictForOne()
          buckets.delete(key)
          buckets.set(key, tat)
        }
      }
      return { allowed: result.allowed, buckets: result.buckets }
    },
    acquire(key, max, leaseMs, now) {
      seen(now)
      let leases = slots.get(key)
      if (leases) expireMembers(leases, now)
      if ((leases?.size ?? 0) >= max) return undefined
      if (leases) slots.delete(key)
      else {
        evictForOne()
        leases = new Map()
      }
      slots.set(key, leases)
      const lease = String(++nextLease)
      leases.set(lease, now + leaseMs)
      return lease
    },
    release(key, lease) {
      removeMember(slots, key, lease)
    },
  }

  const live = (key: string, now: number): Expiring | undefined => {
    seen(now)
    const record = records.get(key)
    if (record === undefined || record.expiresAt > now) return record
    records.delete(key)
    return undefined
  }

  const recordStore: RecordStore = {
    claim(key, value, ttlMs, now) {
      const record = live(key, now)
      if (record && record.value !== value) return record.value
      if (!record) roomForRecord()
      records.set(key, { value, expiresAt: now + ttlMs })
      return value
    },
    read(key, now) {
      return live(key, now)?.value
    },
    refresh(key, value, ttlMs, now) {
      const record = live(key, now)
      if (record?.value !== value) return false
      record.expiresAt = now + ttlMs
      return true
    },
    release(key, value, now) {
      if (live(key, now)?.value !== value) return false
      records.delete(key)
      return true
    },
    join(set, member, max, ttlMs, now, replacing) {
      seen(now)
      let members = sets.get(set)
      if (members) {
        expireMembers(members, now)
        if (replacing !== undefined) members.delete(replacing)
        if (!members.has(member) && members.size >= max) return false
      } else {
        if (max < 1) return false
        roomForRecord()
        members = new Map()
        sets.set(set, members)
      }
      members.set(member, now + ttlMs)
      return true
    },
    leave(set, member) {
      removeMember(sets, set, member)
    },
  }

  return {
    buckets: bucketStore,
    records: recordStore,
    isAvailable: () => true,
    watch: () => {},
    warmUp: async () => {},
    async close() {
      clearInterval(timer)
    },
  }
}

function expireMembers(members: Map<string, number>, now: number): void {
  for (const [member, expiresAt] of members) if (expiresAt <= now) members.delete(member)
}

/** Expires the members of every set, and drops the sets left empty. */
function sweepSets(sets: Map<string, Map<string, number>>, now: number): void {
  for (const [key, members] of sets) {
    expireMembers(members, now)
    if (members.size === 0) sets.delete(key)
  }
}

function removeMember(sets: Map<string, Map<string, number>>, key: string, member: string): void {
  const members = sets.get(key)
  members?.delete(member)
  if (members?.size === 0) sets.delete(key)
}
