// The expiring cache behind the verified-token and refused-token caches: bounded, expiring, keyed by hash.
import { describe, expect, it } from 'vitest'
import { createExpiringCache, tokenKey } from '../../../src/auth/token-cache.js'

describe('createExpiringCache', () => {
  it('serves an entry strictly before its expiry and never after', () => {
    const cache = createExpiringCache<string>(10)
    cache.set('k', 'v', 100)
    expect(cache.get('k', 99.999)).toBe('v')
    expect(cache.get('k', 100)).toBeUndefined()
    // The expired entry is gone, not just hidden.
    expect(cache.size).toBe(0)
  })

  it('stays within its bound, evicting the oldest entries first', () => {
    const cache = createExpiringCache<number>(3)
    for (let i = 0; i < 5; i++) cache.set(`k${i}`, i, 1000)
    expect(cache.size).toBe(3)
    expect([0, 1, 2, 3, 4].map((i) => cache.get(`k${i}`, 0))).toEqual([undefined, undefined, 2, 3, 4])
  })

  it('renews an entry set again (moves it to the young end)', () => {
    const cache = createExpiringCache<number>(2)
    cache.set('a', 1, 1000)
    cache.set('b', 2, 1000)
    cache.set('a', 3, 1000)
    cache.set('c', 4, 1000)
    expect(cache.get('a', 0)).toBe(3)
    expect(cache.get('b', 0)).toBeUndefined()
  })

  it('stores nothing with size 0', () => {
    const cache = createExpiringCache<number>(0)
    cache.set('a', 1, 1000)
    expect(cache.get('a', 0)).toBeUndefined()
    expect(cache.size).toBe(0)
  })
})

describe('tokenKey', () => {
  it('is a fixed-size sha256 digest, not the token', () => {
    const token = 'x'.repeat(8000)
    expect(tokenKey(token)).toHaveLength(44)
    expect(tokenKey(token)).not.toContain('xxxx')
    expect(tokenKey('a')).not.toBe(tokenKey('b'))
  })
})
