// Per-subject limits in memory: the burst passes, the rest get 429 with standard headers, and time refills the budget.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Stack, startStack } from '../support/stack.js'

// Real time at start (tokens are minted with real expiry); the tests move the clock less than their one-hour lifetime.
const T0 = Date.now()
let clock = T0
let stack: Stack

beforeAll(async () => {
  stack = await startStack({
    deps: { now: () => clock },
    configure: (input) => ({
      ...input,
      auth: { ...input.auth, issuers: input.auth.issuers.map((issuer) => ({ ...issuer, tenantClaim: 'tenant' })) },
      rateLimit: {
        requests: 5,
        windowSeconds: 60,
        classes: { produce: { requests: 3, windowSeconds: 30 } },
        overrides: [
          { subject: 'batch-job', requests: 20 },
          { tenant: 'big-tenant', classes: { metadata: { requests: 8 } } },
        ],
      },
    }),
  })
})
afterAll(async () => {
  await stack.close()
})

const topics = async (token: string, headers: Record<string, string> = {}) =>
  fetch(`${stack.url}/topics`, { headers: { authorization: `Bearer ${token}`, ...headers } })

/** Sends `count` requests one after the other and returns every answer. */
async function burst(count: number, send: () => Promise<Response>): Promise<Response[]> {
  const answers: Response[] = []
  for (let i = 0; i < count; i++) answers.push(await send())
  return answers
}

describe('a subject over its limit', () => {
  it('gets exactly its limit through out of 3×, then 429s that never reached upstream', async () => {
    clock = T0
    stack.emulator.clearRequests()
    const token = await stack.token('alice')
    const answers = await burst(15, () => topics(token))
    expect(answers.map((res) => res.status)).toEqual([...Array(5).fill(200), ...Array(10).fill(429)])
    expect(stack.emulator.requests).toHaveLength(5)
  })

  it('carries RateLimit-Policy and RateLimit on allowed answers, counting down', async () => {
    clock = T0
    const answers = await burst(2, async () => topics(await stack.token('carol')))
    expect(answers.map((res) => res.headers.get('ratelimit'))).toEqual(['"metadata";r=4;t=12', '"metadata";r=3;t=24'])
    expect(answers[0]?.headers.get('ratelimit-policy')).toBe('"metadata";q=5;w=60')
  })

  it('answers 429 with Retry-After, both RateLimit headers and a Kafka-style body', async () => {
    clock = T0
    const res = await topics(await stack.token('alice'))
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('12')
    expect(res.headers.get('ratelimit-policy')).toBe('"metadata";q=5;w=60')
    expect(res.headers.get('ratelimit')).toBe('"metadata";r=0;t=60')
    expect(res.headers.get('x-gateway-error')).toBe('RATE_LIMITED')
    expect(await res.json()).toMatchObject({ error_code: 42901, error: 'RATE_LIMITED', message: 'Too many requests' })
  })

  it('lets one more through exactly when Retry-After says, not a millisecond earlier', async () => {
    const token = await stack.token('alice')
    clock = T0 + 12_000 - 1
    expect((await topics(token)).status).toBe(429)
    clock = T0 + 12_000
    expect((await topics(token)).status).toBe(200)
    expect((await topics(token)).status).toBe(429)
  })

  it('is whole again after the window, and a spoofed X-Forwarded-For changes nothing', async () => {
    clock = T0 + 12_000 + 60_000
    const token = await stack.token('alice')
    let spoofed = 0
    const answers = await burst(8, () => topics(token, { 'x-forwarded-for': `198.51.100.${++spoofed}` }))
    expect(answers.filter((res) => res.status === 200)).toHaveLength(5)
  })
})

describe('keys and classes', () => {
  it('leaves another subject unaffected', async () => {
    clock = T0
    const res = await topics(await stack.token('bob'))
    expect(res.status).toBe(200)
    expect(res.headers.get('ratelimit')).toBe('"metadata";r=4;t=12')
  })

  it('keeps a separate budget per route class, each with its own rate', async () => {
    clock = T0
    const token = await stack.token('dave')
    const produce = () =>
      fetch(`${stack.url}/topics/test`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/vnd.kafka.binary.v2+json' },
        body: JSON.stringify({ records: [{ value: 'aGk=' }] }),
      })
    const produced = await burst(5, produce)
    expect(produced.map((res) => res.status)).toEqual([200, 200, 200, 429, 429])
    expect(produced[3]?.headers.get('retry-after')).toBe('10')
    expect(produced[0]?.headers.get('ratelimit-policy')).toMatch(/^"produce";q=3;w=30/)
    expect((await topics(token)).status).toBe(200)
  })

  it.each([
    { sub: 'batch-job', claims: {}, allowed: 20 },
    { sub: 'erin', claims: { tenant: 'big-tenant' }, allowed: 8 },
    { sub: 'frank', claims: { tenant: 'small-tenant' }, allowed: 5 },
  ])('applies overrides: $sub gets $allowed', async ({ sub, claims, allowed }) => {
    clock = T0
    const token = await stack.token(sub, claims)
    const answers = await burst(allowed + 2, () => topics(token))
    expect(answers.filter((res) => res.status === 200)).toHaveLength(allowed)
  })
})
