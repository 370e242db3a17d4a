// discoveredJwksUrl against a real HTTP server whose discovery document each test sets: the issuer must match exactly,
// jwks_uri must be usable, the answer is cached for the refresh period, and an outage keeps the last good jwks_uri.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { discoveredJwksUrl, discoveryUrl, jwksUriOf } from '../../../src/auth/oidc-discovery.js'

const REFRESH_MS = 300_000
let server: http.Server
let base: string
/** What the server answers next: a status and a body (an object is sent as JSON). */
let answer: { status: number; body: unknown }
let fetches = 0
let now = 0
let stale: string[] = []

beforeAll(async () => {
  server = http.createServer((req, res) => {
    fetches++
    expect(req.url).toBe('/realm/.well-known/openid-configuration')
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body)
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(text)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))
beforeEach(() => {
  fetches = 0
  now = 0
  stale = []
})

const issuer = () => `${base}/realm`
const discover = (configured = issuer()) =>
  discoveredJwksUrl(configured, {
    timeoutMs: 2000,
    maxBytes: 4096,
    refreshMs: REFRESH_MS,
    now: () => now,
    onStale: (error) => stale.push(error.message),
  })
const signal = new AbortController().signal
const document = (extra: Record<string, unknown> = {}) => ({
  issuer: issuer(),
  jwks_uri: `${base}/realm/certs`,
  ...extra,
})

describe('OIDC discovery', () => {
  it('builds the well-known URL from the issuer, with or without a trailing slash', () => {
    expect(discoveryUrl('https://login.example.com')).toBe('https://login.example.com/.well-known/openid-configuration')
    expect(discoveryUrl('https://login.example.com/')).toBe(
      'https://login.example.com/.well-known/openid-configuration',
    )
    expect(discoveryUrl('https://sso.example.org/realms/kafka')).toBe(
      'https://sso.example.org/realms/kafka/.well-known/openid-configuration',
    )
  })

  it('returns jwks_uri, and fetches the document again only after the refresh period', async () => {
    answer = { status: 200, body: document() }
    const jwksUrl = discover()
    expect(await jwksUrl(signal)).toBe(`${base}/realm/certs`)
    now += REFRESH_MS - 1
    expect(await jwksUrl(signal)).toBe(`${base}/realm/certs`)
    expect(fetches).toBe(1)
    answer = { status: 200, body: document({ jwks_uri: `${base}/realm/certs-v2` }) }
    now += 1
    expect(await jwksUrl(signal)).toBe(`${base}/realm/certs-v2`)
    expect(fetches).toBe(2)
  })

  it.each([
    [
      'another issuer',
      () => document({ issuer: 'https://elsewhere.example/' }),
      /names the issuer "https:\/\/elsewhere\.example\/", not the configured "http:\/\/127\.0\.0\.1:\d+\/realm"$/,
    ],
    ['no issuer', () => ({ jwks_uri: 'http://127.0.0.1:9/certs' }), /names the issuer undefined, not the configured/],
    ['no jwks_uri', () => document({ jwks_uri: undefined }), /has no valid "jwks_uri"$/],
    ['a relative jwks_uri', () => document({ jwks_uri: '/certs' }), /has no valid "jwks_uri"$/],
    [
      'an ftp jwks_uri',
      () => document({ jwks_uri: 'ftp://127.0.0.1/certs' }),
      /has a "jwks_uri" that is not https or http$/,
    ],
    ['a JSON array', () => [document()], /names the issuer undefined/],
    ['JSON null', () => 'null', /is not a JSON object$/],
    ['not JSON', () => '<html>', /is not JSON$/],
  ])('refuses a document with %s', async (_case, body: () => unknown, message) => {
    answer = { status: 200, body: body() }
    await expect(discover()(signal)).rejects.toThrow(message)
  })

  it('treats the configured issuer literally: a trailing slash the document lacks is a mismatch', async () => {
    answer = { status: 200, body: document() }
    await expect(discover(`${issuer()}/`)(signal)).rejects.toThrow(
      /names the issuer ".*\/realm", not the configured ".*\/realm\/"/,
    )
  })

  it('keeps the last jwks_uri while the endpoint fails, and says so', async () => {
    answer = { status: 200, body: document() }
    const jwksUrl = discover()
    await jwksUrl(signal)
    answer = { status: 503, body: { error: 'down' } }
    now += REFRESH_MS
    expect(await jwksUrl(signal)).toBe(`${base}/realm/certs`)
    expect(stale).toEqual([expect.stringMatching(/openid-configuration answered HTTP 503$/)])
    // It retries on the next refresh, not on every call in between.
    expect(await jwksUrl(signal)).toBe(`${base}/realm/certs`)
    expect(fetches).toBe(2)
  })

  it('stops using the cached jwks_uri once the document names another issuer', async () => {
    answer = { status: 200, body: document() }
    const jwksUrl = discover()
    await jwksUrl(signal)
    answer = { status: 200, body: document({ issuer: 'https://elsewhere.example/' }) }
    now += REFRESH_MS
    await expect(jwksUrl(signal)).rejects.toThrow(/names the issuer/)
    // Nothing cached any more: the next call asks again rather than returning the old URL.
    answer = { status: 503, body: {} }
    await expect(jwksUrl(signal)).rejects.toThrow(/answered HTTP 503/)
    expect(stale).toEqual([])
  })

  it('refuses an https issuer whose jwks_uri is plain http, and allows https for an http issuer', () => {
    const what = 'document'
    expect(() =>
      jwksUriOf(
        { issuer: 'https://login.example.com', jwks_uri: 'http://login.example.com/certs' },
        'https://login.example.com',
        what,
      ),
    ).toThrow('document has a "jwks_uri" that is not https')
    expect(
      jwksUriOf({ issuer: 'http://127.0.0.1:1', jwks_uri: 'https://keys.example/certs' }, 'http://127.0.0.1:1', what),
    ).toBe('https://keys.example/certs')
  })
})
