// A bounded in-memory cache keyed by a hash of the token, whose entries expire at a time given per entry.
import { hash } from 'node:crypto'

export interface ExpiringCache<T> {
  get(key: string, nowSeconds: number): T | undefined
  set(key: string, value: T, untilSeconds: number): void
  readonly size: number
}

/** sha256 keeps raw tokens out of memory dumps and bounds key size whatever the token length. */
export function tokenKey(token: string): string {
  return hash('sha256', token, 'base64')
}

/** `maxEntries` 0 disables the cache. Oldest-first eviction: a Map iterates in insertion order. */
export function createExpiringCache<T>(maxEntries: number): ExpiringCache<T> {
  const entries = new Map<string, { value: T; until: number }>()
  return {
    get(key, nowSeconds) {
      const entry = entries.get(key)
      if (entry === undefined) return undefined
      if (entry.until > nowSeconds) return entry.value
      entries.delete(key)
      return undefined
    },
    set(key, value, untilSeconds) {
      if (maxEntries === 0) return
      entries.delete(key)
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string)
      entries.set(key, { value, until: untilSeconds })
    },
    get size() {
      return entries.size
    },
  }
}
