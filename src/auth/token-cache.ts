// A bounded cache of verified tokens, keyed by a hash of the token and expiring with the token's `exp`.
import { createHash } from 'node:crypto'
import type { Identity } from './identity.js'

export interface TokenCache {
  get(token: string, nowSeconds: number): Identity | undefined
  set(token: string, identity: Identity): void
}

export function createTokenCache(maxEntries: number): TokenCache {
  const entries = new Map<string, Identity>()
  // sha256 keeps raw tokens out of memory dumps and bounds key size whatever the token length.
  const keyOf = (token: string) => createHash('sha256').update(token).digest('base64')
  return {
    get(token, nowSeconds) {
      if (maxEntries === 0) return undefined
      const key = keyOf(token)
      const identity = entries.get(key)
      if (identity && identity.expiresAt > nowSeconds) return identity
      if (identity) entries.delete(key)
      return undefined
    },
    set(token, identity) {
      if (maxEntries === 0) return
      // Oldest-first eviction: Map iterates in insertion order.
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string)
      entries.set(keyOf(token), identity)
    },
  }
}
