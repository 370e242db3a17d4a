// JWKS through rotation and outages, against a real JWKS server: new kids, retired keys, IdP down, kid floods, readiness.
import { afterEach, describe, expect, it } from 'vitest'
import { eventually } from '../support/eventually.js'
import { b64url } from '../support/jwt-forge.js'
import { type Stack, type StackOptions, startStack } from '../support/stack.js'

const COOLDOWN_MS = 30_000
let stack: Stack
/** Added to the real clock: moves the gateway past cooldowns and cache lifetimes without waiting. */
let offset = 0

async function start(auth: Record<string, unknown> = {}, configure?: StackOptions['configure']): Promise<Stack> {
  offset = 0
  stack = await startStack({
    configure: (input, parts) => {
      const configured = configure ? configure(input, parts) : input
      return { ...configured, auth: { ...configured.auth, ...auth } }
    },
    deps: { now: () => Date.now() + offset },
  })
  return stack
}
afterEach(() => stack.close())

async function status(token: string): Promise<number> {
  const res = await fetch(`${stack.url}/topics`, { headers: { authorization: `Bearer ${token}` } })
  await res.arrayBuffer()
  return res.status
}

async function reason(token: string): Promise<string | null> {
  const res = await fetch(`${stack.url}/topics`, { headers: { authorization: `Bearer ${token}` } })
  await res.arrayBuffer()
  return /error_description="([^"]*)"/.exec(res.headers.get('www-authenticate') ?? '')?.[1] ?? null
}

/** `count` tokens of the trusted issuer's shape, each with a fresh random kid (the signature is never reached). */
async function kidFlood(count: number): Promise<number[]> {
  const claims = { iss: stack.issuer.issuer, aud: stack.issuer.audience, sub: 'mallory', exp: 2e9 }
  const statuses: number[] = []
  for (let batch = 0; batch < count; batch += 50) {
    const tokens = Array.from({ length: Math.min(50, count - batch) }, () => {
      const kid = Math.random().toString(36).slice(2)
      return `${b64url({ alg: 'ES256', kid })}.${b64url(claims)}.${'A'.repeat(86)}`
    })
    statuses.push(...(await Promise.all(tokens.map(status))))
  }
  return statuses
}

describe('rotation', () => {
  it('accepts a new kid without restart (once the cooldown allows a refetch), the old one while published', async () => {
    await start()
    const oldToken = await stack.token('alice')
    expect(await status(oldToken)).toBe(200)

    const newKid = await stack.issuer.rotate()
    const newToken = await stack.issuer.mint({ sub: 'bob' }, { kid: newKid })
    // Right after the start-up fetch, an unknown kid may not cause another one.
    expect(await reason(newToken)).toBe('unknown signing key')
    expect(stack.issuer.jwksFetches).toBe(1)
    offset += COOLDOWN_MS
    expect(await status(newToken)).toBe(200)
    expect(stack.issuer.jwksFetches).toBe(2)
    expect(await status(oldToken)).toBe(200)
  })

  it('refuses tokens of a retired key at the next refetch, even those already in the token cache', async () => {
    await start()
    const oldToken = await stack.token('alice')
    expect(await status(oldToken)).toBe(200)
    const newKid = await stack.issuer.rotate({ retire: true })
    offset += COOLDOWN_MS
    expect(await status(await stack.issuer.mint({ sub: 'bob' }, { kid: newKid }))).toBe(200)
    expect(await reason(oldToken)).toBe('unknown signing key')
  })

  it('remembers a refused token for negativeCacheSeconds only: a token whose key appears late works soon after', async () => {
    await start({ negativeCacheSeconds: 5, jwks: { cooldownSeconds: 1 } })
    const lateKid = await stack.issuer.rotate({ publish: false })
    const early = await stack.issuer.mint({ sub: 'bob' }, { kid: lateKid })
    offset += 1000
    expect(await reason(early)).toBe('unknown signing key')
    expect(stack.issuer.jwksFetches).toBe(2)
    stack.issuer.publish()
    offset += 2000
    // Past the cooldown but within the negative cache: answered from memory, no fetch.
    expect(await reason(early)).toBe('unknown signing key')
    expect(stack.issuer.jwksFetches).toBe(2)
    offset += 3000
    expect(await status(early)).toBe(200)
    expect(stack.issuer.jwksFetches).toBe(3)
  })
})

describe.each([
  ['with the token cache', 10_000],
  ['without the token cache (tokenCacheSize 0)', 0],
])('IdP down (server closed), %s', (_name, tokenCacheSize) => {
  it('keeps verifying with the last good key set: tokens seen before and new ones', async () => {
    await start({ tokenCacheSize })
    const seen = await stack.token('alice')
    expect(await status(seen)).toBe(200)
    await stack.issuer.close()
    offset += COOLDOWN_MS
    // An unknown kid makes the gateway try the IdP, which fails.
    expect(await kidFlood(1)).toEqual([401])
    expect(await status(seen)).toBe(200)
    expect(await status(await stack.token('bob'))).toBe(200)
    expect((await fetch(`${stack.url}/readyz`)).status).toBe(200)
  })
})

describe('random-kid flood', () => {
  it('1,000 requests cost at most one JWKS fetch per cooldown, IdP up or down', async () => {
    // The JWKS cooldown alone is measured here; the per-IP pre-auth limit would otherwise answer most of them with 429.
    await start({}, (input) => ({ ...input, rateLimit: { preAuth: { enabled: false } } }))
    // Within the cooldown of the start-up fetch: none at all.
    expect(await kidFlood(1000)).toEqual(Array(1000).fill(401))
    expect(stack.issuer.jwksFetches).toBe(1)

    stack.issuer.setJwksMode('reset')
    offset += COOLDOWN_MS
    expect(await kidFlood(1000)).toEqual(Array(1000).fill(401))
    expect(stack.issuer.jwksFetches).toBe(2)
    await kidFlood(100)
    expect(stack.issuer.jwksFetches).toBe(2)
    // The failed fetches never cost the keys already loaded.
    expect(await status(await stack.token())).toBe(200)
  })
})

describe('start with the IdP down', () => {
  it('starts, reports not ready, then becomes ready and verifies once the IdP answers', async () => {
    await start({ jwks: { cooldownSeconds: 1 } }, (input, { issuer }) => {
      issuer.setJwksMode('garbage')
      return input
    })
    const ready = await fetch(`${stack.url}/readyz`)
    expect(ready.status).toBe(503)
    expect(await status(await stack.token())).toBe(503)
    stack.issuer.setJwksMode('ok')
    // The retry runs once per cooldown (1 s here) on its own, without any request.
    await eventually(async () => (await fetch(`${stack.url}/readyz`)).status === 200, { timeoutMs: 5000 })
    expect(await status(await stack.token())).toBe(200)
  })
})
