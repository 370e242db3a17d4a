// CORS over real HTTP: preflights answered without a token and never upstream, allowlist only, headers on refusals too.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALLOWED_HEADERS, EXPOSED_HEADERS } from '../../src/edge/cors.js'
import { type RawResponse, rawRequest, V2_BINARY } from '../support/http.js'
import { type Stack, startStack } from '../support/stack.js'

const APP = 'https://app.example.com'
const PATTERNED = 'https://reports.apps.example.com'
const origins = [APP, 'https://*.apps.example.com']

let stack: Stack
let token: string

beforeAll(async () => {
  stack = await startStack({
    configure: (input) => ({
      ...input,
      cors: { origins, maxAgeSeconds: 900 },
      policy: { deny: ['/admin/**'] },
      rateLimit: { overrides: [{ subject: 'limited', classes: { metadata: { requests: 1, windowSeconds: 3600 } } }] },
    }),
  })
  token = await stack.token('alice')
})
afterAll(() => stack.close())

const preflight = (origin: string | undefined, path = '/topics/t', method = 'POST') =>
  rawRequest(`${stack.url}${path}`, {
    method: 'OPTIONS',
    headers: {
      ...(origin === undefined ? {} : { origin }),
      'access-control-request-method': method,
      'access-control-request-headers': 'authorization,content-type',
    },
  })

function expectNoCors(res: RawResponse): void {
  for (const name of Object.keys(res.headers)) expect(name).not.toMatch(/^access-control-/)
  expect(res.headers.vary).toBe('Origin')
}

describe('preflight', () => {
  it.each([APP, PATTERNED])(
    'from the allowed origin %s: 204 with the allow headers, no token, nothing upstream',
    async (origin) => {
      stack.emulator.clearRequests()
      const res = await preflight(origin)
      expect(res.status).toBe(204)
      expect(res.body).toBe('')
      expect(res.headers).toMatchObject({
        'access-control-allow-origin': origin,
        'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
        'access-control-allow-headers': ALLOWED_HEADERS,
        'access-control-max-age': '900',
        vary: 'Origin',
      })
      expect(res.headers['access-control-allow-credentials']).toBeUndefined()
      expect(stack.emulator.requests).toEqual([])
    },
  )

  it('allows the headers browser apps send: Authorization, X-Auth-Token, Content-Type, Accept, X-Request-Id', () => {
    for (const name of ['Authorization', 'X-Auth-Token', 'Content-Type', 'Accept', 'X-Request-Id', 'traceparent']) {
      expect(ALLOWED_HEADERS.split(', ')).toContain(name)
    }
  })

  it.each([
    ['another site', 'https://evil.example.net'],
    ['a sandboxed page or file: URL', 'null'],
    ['a look-alike host', 'https://allowed.example.evil.com'],
    ['an allowed host with a suffix', 'https://app.example.com.evil.com'],
    ['the allowed host over http', 'http://app.example.com'],
    ['the bare pattern domain', 'https://apps.example.com'],
    ['no Origin at all', undefined],
  ])('from %s (%s): refused without CORS headers, nothing upstream', async (_case, origin) => {
    stack.emulator.clearRequests()
    const res = await preflight(origin, '/consumers/g/instances/i', 'DELETE')
    expect(res.status).toBe(403)
    expect(res.json()).toMatchObject({ error_code: 40392, error: 'ORIGIN_NOT_ALLOWED' })
    expectNoCors(res)
    expect(stack.emulator.requests).toEqual([])
  })
})

describe('requests from an allowed origin', () => {
  it('carry the echoed origin (never *), the exposed headers and Vary: Origin', async () => {
    const res = await rawRequest(`${stack.url}/topics/t`, {
      method: 'POST',
      headers: { origin: APP, authorization: `Bearer ${token}`, 'content-type': V2_BINARY },
      body: JSON.stringify({ records: [{ value: 'aGk=' }] }),
    })
    expect(res.status).toBe(200)
    expect(res.headers).toMatchObject({
      'access-control-allow-origin': APP,
      'access-control-expose-headers': EXPOSED_HEADERS,
      vary: 'Origin',
      'cross-origin-resource-policy': 'cross-origin',
    })
  })

  interface Refused {
    method?: string
    path: string
    headers: Record<string, string>
    body?: string
  }
  const bearer = () => ({ authorization: `Bearer ${token}` })
  it.each<[string, () => Refused, number, string]>([
    ['no token', () => ({ path: '/topics/t', headers: {} }), 401, 'TOKEN_MISSING'],
    [
      'a broken token',
      () => ({ path: '/topics/t', headers: { authorization: 'Bearer not.a.jwt' } }),
      401,
      'TOKEN_INVALID',
    ],
    [
      'two different tokens',
      () => ({ path: '/topics/t', headers: { authorization: 'Bearer a.b.c', 'x-auth-token': 'd.e.f' } }),
      400,
      'TOKEN_CONFLICT',
    ],
    ['a denied route', () => ({ path: '/admin/topics', headers: bearer() }), 403, 'ROUTE_DENIED'],
    [
      'a JSON-format read',
      () => ({
        path: '/topics/t/partitions/0/messages?offset=0',
        headers: { ...bearer(), accept: 'application/vnd.kafka.json.v1+json' },
      }),
      406,
      'FORMAT_NOT_ACCEPTED',
    ],
    [
      'an Avro produce',
      () => ({
        method: 'POST',
        path: '/topics/t',
        headers: { ...bearer(), 'content-type': 'application/vnd.kafka.avro.v2+json' },
        body: '{"value_schema":"\\"string\\"","records":[{"value":"x"}]}',
      }),
      415,
      'FORMAT_NOT_ALLOWED',
    ],
  ])(
    'keep their CORS headers on the gateway refusal for %s (%i), so the app can read it',
    async (_case, make, status, error) => {
      stack.emulator.clearRequests()
      const { path, ...request } = make()
      const res = await rawRequest(`${stack.url}${path}`, {
        ...request,
        headers: { origin: PATTERNED, ...request.headers },
      })
      expect(res.status).toBe(status)
      expect(res.json()).toMatchObject({ error })
      expect(res.headers).toMatchObject({
        'access-control-allow-origin': PATTERNED,
        'access-control-expose-headers': EXPOSED_HEADERS,
        'x-gateway-error': error,
        vary: 'Origin',
      })
      if (status === 401) expect(res.headers['www-authenticate']).toMatch(/^Bearer realm=/)
      expect(stack.emulator.requests).toEqual([])
    },
  )

  it('keep their CORS headers on a 429, with Retry-After, RateLimit and RateLimit-Policy exposed', async () => {
    const limited = { origin: APP, authorization: `Bearer ${await stack.token('limited')}` }
    const passed = await rawRequest(`${stack.url}/topics`, { headers: limited })
    expect(passed.status).toBe(200)
    expect(passed.headers['access-control-allow-origin']).toBe(APP)
    stack.emulator.clearRequests()
    const res = await rawRequest(`${stack.url}/topics`, { headers: limited })
    expect(res.status).toBe(429)
    expect(res.json()).toMatchObject({ error_code: 42901, error: 'RATE_LIMITED' })
    expect(res.headers).toMatchObject({
      'access-control-allow-origin': APP,
      'access-control-expose-headers': EXPOSED_HEADERS,
      'retry-after': expect.stringMatching(/^\d+$/),
      ratelimit: expect.stringMatching(/^"metadata";r=0;t=\d+/),
      'ratelimit-policy': expect.stringContaining('"metadata";q=1;w=3600'),
      vary: 'Origin',
    })
    expect(stack.emulator.requests).toEqual([])
  })

  it('expose RateLimit, RateLimit-Policy, Retry-After, WWW-Authenticate, X-Request-Id and X-Gateway-Error', () => {
    expect(EXPOSED_HEADERS.split(', ').sort()).toEqual(
      ['RateLimit', 'RateLimit-Policy', 'Retry-After', 'WWW-Authenticate', 'X-Gateway-Error', 'X-Request-Id'].sort(),
    )
  })
})

describe('requests from other origins', () => {
  it.each(['https://evil.example.net', 'null', 'https://allowed.example.evil.com'])(
    'from %s get no CORS headers (the browser keeps the answer from the page)',
    async (origin) => {
      const res = await rawRequest(`${stack.url}/topics`, { headers: { origin, authorization: `Bearer ${token}` } })
      expect(res.status).toBe(200)
      expectNoCors(res)
    },
  )

  it('without an Origin (servers, curl) work as before and still say Vary: Origin', async () => {
    const res = await rawRequest(`${stack.url}/topics`, { headers: { authorization: `Bearer ${token}` } })
    expect(res.status).toBe(200)
    expectNoCors(res)
  })
})

describe('with an upstream that sends its own CORS headers, and failing upstreams', () => {
  let upstream: http.Server
  let upstreamUrl: string
  let behind: Stack

  beforeAll(async () => {
    // A REST proxy configured with `access.control.allow.origin=*` answers like this; the gateway must not pass it on.
    upstream = http.createServer((_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/vnd.kafka.v2+json',
        'access-control-allow-origin': '*',
        'access-control-allow-credentials': 'true',
        vary: 'Accept-Encoding',
      })
      res.end('[]')
    })
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`
    behind = await startStack({
      configure: (input) => ({
        ...input,
        upstream: { ...input.upstream, url: upstreamUrl },
        cors: { origins, credentials: true },
      }),
    })
  })
  afterAll(async () => {
    await behind.close()
    upstream.closeAllConnections()
    await new Promise((resolve) => upstream.close(resolve))
  })

  it("replaces the upstream's CORS headers with its own and merges Vary", async () => {
    const res = await rawRequest(`${behind.url}/topics`, {
      headers: { origin: APP, authorization: `Bearer ${await behind.token()}` },
    })
    expect(res.status).toBe(200)
    expect(res.headers['access-control-allow-origin']).toBe(APP)
    expect(res.headers['access-control-allow-credentials']).toBe('true')
    expect(res.headers.vary).toBe('Origin, Accept-Encoding')
  })

  it('never answers * to another origin even when the upstream does', async () => {
    const res = await rawRequest(`${behind.url}/topics`, {
      headers: { origin: 'https://evil.example.net', authorization: `Bearer ${await behind.token()}` },
    })
    expect(res.status).toBe(200)
    expect(res.headers['access-control-allow-origin']).toBeUndefined()
    expect(res.headers['access-control-allow-credentials']).toBeUndefined()
  })

  it('keeps CORS headers on a 502 when the upstream is gone', async () => {
    upstream.closeAllConnections()
    await new Promise((resolve) => upstream.close(resolve))
    const res = await rawRequest(`${behind.url}/topics`, {
      headers: { origin: APP, authorization: `Bearer ${await behind.token()}` },
    })
    expect(res.status).toBe(502)
    expect(res.headers).toMatchObject({
      'access-control-allow-origin': APP,
      'access-control-allow-credentials': 'true',
      'x-gateway-error': 'UPSTREAM_UNAVAILABLE',
    })
  })
})
