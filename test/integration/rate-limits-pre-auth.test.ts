// The per-IP limit before authentication: a flood of bad tokens is cut off before the gateway verifies them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LocalIssuer, startLocalIssuer } from '../../src/dev/local-issuer.js'
import { expectRefusal } from '../support/refusal.js'
import { type Stack, startStack } from '../support/stack.js'

// Real time at start (tokens are minted with real expiry); the tests move the clock less than their one-hour lifetime.
const T0 = Date.now()
let clock = T0
let direct: Stack
let behindProxy: Stack
let stranger: LocalIssuer

const preAuth = { failures: 10, windowSeconds: 60 }

beforeAll(async () => {
  ;[direct, behindProxy] = await Promise.all([
    startStack({ deps: { now: () => clock }, configure: (input) => ({ ...input, rateLimit: { preAuth } }) }),
    startStack({
      deps: { now: () => clock },
      configure: (input) => ({ ...input, rateLimit: { preAuth, trustProxy: 1 } }),
    }),
  ])
  // Same `iss` as the trusted issuer, another key: every token it mints needs a signature check to be refused.
  stranger = await startLocalIssuer({ issuer: direct.issuer.issuer })
})
afterAll(async () => {
  await Promise.all([direct.close(), behindProxy.close(), stranger.close()])
})

const get = (stack: Stack, headers: Record<string, string>) => fetch(`${stack.url}/topics`, { headers })

describe('without trusted proxies', () => {
  it('cuts off 500 bad tokens from one address after its budget: the rest are never verified', async () => {
    clock = T0
    // All different, so the gateway's cache of refused tokens cannot spare it a single check.
    const forged = await Promise.all(
      Array.from({ length: 500 }, (_, i) => stranger.mint({ sub: 'mallory', jti: `f${i}` })),
    )
    const statuses: number[] = []
    for (const token of forged) statuses.push((await get(direct, { authorization: `Bearer ${token}` })).status)
    // Each 401 is one signature check; the 429s were answered before authentication ran.
    expect(statuses.filter((status) => status === 401)).toHaveLength(10)
    expect(statuses.filter((status) => status === 429)).toHaveLength(490)
    expect(direct.gateway.limits.stats.preAuthLimited).toBe(490)
    expect(direct.emulator.requests).toHaveLength(0)
  })

  it('answers 429 with Retry-After and its policy, and refuses valid tokens from that address too', async () => {
    const res = await get(direct, { authorization: `Bearer ${await direct.token('alice')}` })
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('6')
    expect(res.headers.get('ratelimit-policy')).toBe('"auth-failures";q=10;w=60')
    expect(res.headers.get('ratelimit')).toBe('"auth-failures";r=0;t=60')
    expect(await res.json()).toMatchObject({
      error_code: 42901,
      message: 'Too many failed authentications from this address',
    })
  })

  it('ignores a spoofed X-Forwarded-For: every address it names shares the socket address budget', async () => {
    clock = T0
    direct.emulator.clearRequests()
    const res = await get(direct, { 'x-forwarded-for': '203.0.113.99' })
    await expectRefusal(res, 'RATE_LIMITED')
    expect(direct.emulator.requests).toHaveLength(0)
  })

  it('lets the address try again as the budget refills, one failure per interval', async () => {
    clock = T0 + 6_000
    expect((await get(direct, {})).status).toBe(401)
    expect((await get(direct, {})).status).toBe(429)
    clock = T0 + 6_000 + 60_000
    expect((await get(direct, { authorization: `Bearer ${await direct.token('alice')}` })).status).toBe(200)
  })

  it('never spends the budget on valid tokens', async () => {
    clock = T0 + 1_000_000
    const token = `Bearer ${await direct.token('alice')}`
    for (let i = 0; i < 30; i++) expect((await get(direct, { authorization: token })).status).toBe(200)
    const missing = await Promise.all(Array.from({ length: 10 }, () => get(direct, {})))
    expect(missing.map((res) => res.status)).toEqual(Array(10).fill(401))
  })
})

describe('behind one trusted proxy', () => {
  /** Spends an address's whole budget with requests that carry no token. */
  async function exhaust(forwardedFor: string): Promise<void> {
    for (let i = 0; i < 10; i++) expect((await get(behindProxy, { 'x-forwarded-for': forwardedFor })).status).toBe(401)
  }

  it('keys by the address the proxy appended, not by what the client wrote before it', async () => {
    clock = T0
    await exhaust('198.51.100.7')
    expect((await get(behindProxy, { 'x-forwarded-for': 'spoofed, 198.51.100.7' })).status).toBe(429)
    expect((await get(behindProxy, { 'x-forwarded-for': '198.51.100.7, 198.51.100.8' })).status).toBe(401)
  })

  it.each([
    { kind: 'no token', ip: '192.0.2.1', path: '/topics', headers: {} },
    { kind: 'another scheme', ip: '192.0.2.2', path: '/topics', headers: { authorization: 'Basic dXNlcjpwYXNz' } },
    {
      kind: 'two different tokens',
      ip: '192.0.2.3',
      path: '/topics',
      headers: { authorization: 'Bearer a.b.c', 'x-auth-token': 'd.e.f' },
    },
    { kind: 'a token in the URL', ip: '192.0.2.4', path: '/topics?access_token=a.b.c', headers: {} },
    { kind: 'garbage', ip: '192.0.2.5', path: '/topics', headers: { 'x-auth-token': 'garbage' } },
  ] as { kind: string; ip: string; path: string; headers: Record<string, string> }[])(
    'counts $kind as a failure',
    async ({ ip, path, headers }) => {
      clock = T0 + 3_000_000
      behindProxy.emulator.clearRequests()
      const send = () => fetch(`${behindProxy.url}${path}`, { headers: { ...headers, 'x-forwarded-for': ip } })
      const refusals: Array<string | null> = []
      for (let i = 0; i < 10; i++) refusals.push((await send()).headers.get('x-gateway-error'))
      // Ten refusals of the credential (which one depends on the kind), then the address is out of budget.
      expect(
        refusals.every((code) => code?.startsWith('TOKEN_')),
        refusals.join(),
      ).toBe(true)
      await expectRefusal(await send(), 'RATE_LIMITED')
      expect(behindProxy.emulator.requests).toHaveLength(0)
    },
  )

  it.each([
    ['2001:db8:aa:1::5', 429],
    ['2001:db8:aa:1:ffff:ffff:ffff:ffff', 429],
    ['2001:db8:aa:2::1', 401],
  ])('keys IPv6 by /64: after 2001:db8:aa:1::1 spent its budget, %s gets %i', async (address, status) => {
    clock = T0 + 2_000_000
    if (address === '2001:db8:aa:1::5') await exhaust('2001:db8:aa:1::1')
    expect((await get(behindProxy, { 'x-forwarded-for': address })).status).toBe(status)
  })
})
