// Starting the real entry point with a bad configuration stops it with a line that names the key.
import { describe, expect, it } from 'vitest'
import { runEntry } from '../support/processes.js'

const goodEnv = {
  GATEWAY_PORT: '0',
  GATEWAY_UPSTREAM_URL: 'http://127.0.0.1:9',
  GATEWAY_UPSTREAM_API_KEY: 'key',
  GATEWAY_JWKS_URL: 'http://127.0.0.1:9/jwks',
  GATEWAY_JWT_ISSUER: 'https://issuer.example/',
  GATEWAY_JWT_AUDIENCE: 'kafka',
}

describe('start-up with a bad configuration', () => {
  it.each([
    [{ GATEWAY_UPSTREAM_URL: 'nope' }, 'config error: upstream.url (GATEWAY_UPSTREAM_URL) must be an http(s) URL'],
    [{ GATEWAY_UPSTREAM_API_KEY: '' }, 'config error: upstream.keys'],
    [{ GATEWAY_UPSTREAM_API_KEY: '', GATEWAY_UPSTREAM_API_KEY_FILE: '/nonexistent/key' }, 'upstream.keys.default'],
  ])('exits non-zero for %o naming the key', async (override, message) => {
    const started = runEntry('src/process/main.ts', { ...goodEnv, ...override })
    expect(await started.exited).toBe(2)
    expect(started.output()).toContain(message)
    expect(started.output()).not.toMatch(/at .*\.ts:\d+/) // a message, not a stack trace
  })
})
