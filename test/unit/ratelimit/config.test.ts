// The rateLimit section of the config: env variables, defaults, and bad values named by key.
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/config/load.js'
import { envProblems, minimalEnv } from '../../support/config.js'

describe('rateLimit config', () => {
  it('defaults to generous per-class limits in memory, failing open, with the pre-auth limit on', () => {
    const { rateLimit } = loadConfig({ env: minimalEnv })
    expect(rateLimit).toMatchObject({
      enabled: true,
      requests: 6000,
      windowSeconds: 60,
      keyBy: 'subject',
      produce: { maxBodyBytes: 10 * 1024 * 1024 },
      consume: { maxConcurrent: 10 },
      preAuth: { enabled: true, failures: 60, windowSeconds: 60 },
      trustProxy: 0,
      onStoreError: 'failOpen',
      redis: { cluster: false, commandTimeoutMs: 150 },
    })
    expect(rateLimit.redis.url).toBeUndefined()
  })

  it('reads its GATEWAY_* variables', () => {
    const { rateLimit } = loadConfig({
      env: {
        ...minimalEnv,
        GATEWAY_RATE_LIMIT_REQUESTS: '100',
        GATEWAY_RATE_LIMIT_WINDOW_SECONDS: '10',
        GATEWAY_RATE_LIMIT_ON_STORE_ERROR: 'failClosed',
        GATEWAY_REDIS_URL: 'redis://redis:6379/0',
        GATEWAY_TRUST_PROXY: '2',
      },
    })
    expect(rateLimit).toMatchObject({ requests: 100, windowSeconds: 10, onStoreError: 'failClosed', trustProxy: 2 })
    expect(rateLimit.redis.url).toBe('redis://redis:6379/0')
  })

  it.each([
    [
      { GATEWAY_RATE_LIMIT_REQUESTS: '0' },
      'rateLimit.requests (GATEWAY_RATE_LIMIT_REQUESTS) must be an integer of at least 1',
    ],
    [
      { GATEWAY_RATE_LIMIT_REQUESTS: 'many' },
      'rateLimit.requests (GATEWAY_RATE_LIMIT_REQUESTS) must be an integer of at least 1',
    ],
    [
      { GATEWAY_RATE_LIMIT_WINDOW_SECONDS: '-5' },
      'rateLimit.windowSeconds (GATEWAY_RATE_LIMIT_WINDOW_SECONDS) must be an integer of at least 1',
    ],
    [{ GATEWAY_RATE_LIMIT_ON_STORE_ERROR: 'open' }, 'rateLimit.onStoreError (GATEWAY_RATE_LIMIT_ON_STORE_ERROR)'],
    [
      { GATEWAY_REDIS_URL: 'http://redis:6379' },
      'rateLimit.redis.url (GATEWAY_REDIS_URL) must be a redis:// or rediss:// URL',
    ],
    [{ GATEWAY_TRUST_PROXY: 'yes' }, 'rateLimit.trustProxy (GATEWAY_TRUST_PROXY) must be an integer from 0 to 10'],
  ])('reports %o against its key', (env, expected) => {
    expect(envProblems(env).some((line) => line.startsWith(expected))).toBe(true)
  })
})
