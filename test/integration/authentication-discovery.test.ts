// OIDC discovery against a real issuer: an issuer configured without a key source finds its JWKS through
// `{issuer}/.well-known/openid-configuration`, trusts the document only if it names exactly that issuer, refreshes it
// like the key set, keeps the last jwks_uri through an outage, and readiness waits for it.
import { afterEach, describe, expect, it } from 'vitest'
import { captureLogs, type LogCapture } from '../support/log-capture.js'
import { type Stack, startStack } from '../support/stack.js'

const REFRESH_MS = 300_000
const COOLDOWN_MS = 30_000
let stack: Stack
let logs: LogCapture
/** Added to the real clock: moves the gateway past refreshes and cooldowns without waiting. */
let offset = 0

/** A gateway whose one issuer has no key source; `issuerName` overrides the configured issuer (default: the issuer's own). */
async function start(issuerName?: (url: string) => string, before?: (issuer: Stack['issuer']) => void) {
  offset = 0
  logs = captureLogs('info')
  stack = await startStack({
    configure: (input, { issuer }) => {
      before?.(issuer)
      const name = issuerName ? issuerName(issuer.url) : issuer.issuer
      return { ...input, auth: { issuers: [{ issuer: name, audience: issuer.audience }] } }
    },
    deps: { logger: logs.logger, now: () => Date.now() + offset },
  })
}
afterEach(() => stack.close())

async function get(token: string) {
  const res = await fetch(`${stack.url}/topics`, { headers: { authorization: `Bearer ${token}` } })
  return { status: res.status, body: await res.json(), wwwAuthenticate: res.headers.get('www-authenticate') }
}
const ready = async () => (await fetch(`${stack.url}/readyz`)).status

describe('OIDC discovery', () => {
  it('finds the key set from the issuer URL alone and verifies tokens with it', async () => {
    await start()
    expect(await ready()).toBe(200)
    expect((await get(await stack.token('alice'))).status).toBe(200)
    expect([stack.issuer.discoveryFetches, stack.issuer.jwksFetches]).toEqual([1, 1])
    expect(stack.emulator.requests).toHaveLength(1)
  })

  it('fetches the document again when the key set is refreshed, not on every key fetch', async () => {
    await start()
    // Within the refresh period, a new kid refetches the keys from the cached jwks_uri only.
    const early = await stack.issuer.rotate()
    offset += COOLDOWN_MS
    expect((await get(await stack.issuer.mint({ sub: 'bob' }, { kid: early }))).status).toBe(200)
    expect([stack.issuer.discoveryFetches, stack.issuer.jwksFetches]).toEqual([1, 2])
    // Past the refresh period, the document is fetched again before the keys.
    const late = await stack.issuer.rotate()
    offset += REFRESH_MS
    expect((await get(await stack.issuer.mint({ sub: 'carol' }, { kid: late }))).status).toBe(200)
    expect([stack.issuer.discoveryFetches, stack.issuer.jwksFetches]).toEqual([2, 3])
  })

  it('keeps the last jwks_uri while the discovery endpoint is down', async () => {
    await start()
    stack.issuer.setDiscoveryMode('error')
    const kid = await stack.issuer.rotate()
    offset += REFRESH_MS
    expect((await get(await stack.issuer.mint({ sub: 'bob' }, { kid }))).status).toBe(200)
    expect(stack.issuer.discoveryFetches).toBe(2)
    expect(logs.entries()).toContainEqual(
      expect.objectContaining({
        msg: 'OIDC discovery failed; keeping the last jwks_uri',
        reason: expect.stringMatching(/openid-configuration answered HTTP 500$/),
      }),
    )
    expect(await ready()).toBe(200)
  })

  it('refuses a document that names another issuer: not ready, no key fetched, a log line that says why', async () => {
    // The classic trap: the configured issuer has a trailing slash, the provider's `iss` has none.
    await start((url) => `${url}/`)
    expect(await ready()).toBe(503)
    const answer = await get(await stack.issuer.mint({ iss: `${stack.issuer.url}/` }))
    expect(answer.status).toBe(503)
    expect(answer.body).toMatchObject({ error_code: 50391 })
    expect(stack.issuer.jwksFetches).toBe(0)
    expect(stack.emulator.requests).toEqual([])
    expect(logs.entries()).toContainEqual(
      expect.objectContaining({
        level: 40,
        issuer: `${stack.issuer.url}/`,
        reason: `OIDC discovery document ${stack.issuer.url}/.well-known/openid-configuration names the issuer "${stack.issuer.url}", not the configured "${stack.issuer.url}/"`,
      }),
    )
  })

  it.each([
    ['error', /answered HTTP 500$/],
    ['garbage', /is not JSON$/],
    ['reset', /request failed: /],
  ] as const)('starts not ready while the discovery endpoint is %s, then recovers', async (mode, reason) => {
    await start(undefined, (issuer) => issuer.setDiscoveryMode(mode))
    expect(await ready()).toBe(503)
    const token = await stack.token('alice')
    const refused = await get(token)
    expect(refused.status).toBe(503)
    expect(refused.body).toMatchObject({ error_code: 50391 })
    expect(stack.emulator.requests).toEqual([])
    expect(stack.issuer.jwksFetches).toBe(0)
    expect(logs.entries()).toContainEqual(
      expect.objectContaining({ issuer: stack.issuer.issuer, reason: expect.stringMatching(reason) }),
    )

    stack.issuer.setDiscoveryMode('ok')
    offset += COOLDOWN_MS
    expect((await get(token)).status).toBe(200)
    expect(await ready()).toBe(200)
  })
})
