// Two issuers whose tokens both carry a tenant claim: a rule for issuer A's tenant never matches issuer B's caller.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { configSchema } from '../../src/config/schema.js'
import { type LocalIssuer, startLocalIssuer } from '../../src/dev/local-issuer.js'
import { b64, CT, rawRequest } from '../support/http.js'
import { baseConfig, type Stack, startStack } from '../support/stack.js'

const TEAM_KEY = 'key-for-team-a-of-issuer-a-0123'

describe('two issuers that both name a tenant team-a', () => {
  let stack: Stack
  let other: LocalIssuer
  beforeAll(async () => {
    other = await startLocalIssuer({ issuer: 'https://issuer-b.example/' })
    stack = await startStack({
      configure: (input, { issuer }) => ({
        ...input,
        auth: {
          ...input.auth,
          issuers: [
            { issuer: issuer.issuer, audience: issuer.audience, jwksUrl: issuer.jwksUrl, tenantClaim: 'tenant' },
            { issuer: other.issuer, audience: other.audience, jwksUrl: other.jwksUrl, tenantClaim: 'tenant' },
          ],
        },
        upstream: {
          ...input.upstream,
          keys: { ...input.upstream.keys, teamA: { value: TEAM_KEY } },
          keyMapping: [{ issuer: issuer.issuer, tenant: 'team-a', key: 'teamA' }],
        },
        rateLimit: {
          keyBy: 'tenant',
          // Issuer A's team-a gets one request a day; anyone else the default.
          overrides: [{ issuer: issuer.issuer, tenant: 'team-a', requests: 1, windowSeconds: 86_400 }],
        },
      }),
    })
    stack.emulator.setApiKeys([stack.apiKey, TEAM_KEY])
  })
  afterAll(async () => {
    await stack?.close()
    await other?.close()
  })

  const produce = (token: string) =>
    rawRequest(`${stack.url}/topics/shared`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': CT.V2B },
      body: JSON.stringify({ records: [{ value: b64('x') }] }),
    })

  it("sends issuer B's team-a caller upstream with the default key, and limits it by its own budget", async () => {
    const fromA = await stack.issuer.mint({ sub: 'ann', tenant: 'team-a' })
    const fromB = await other.mint({ sub: 'ann', tenant: 'team-a' })
    stack.emulator.clearRequests()
    expect((await produce(fromA)).status).toBe(200)
    // A's team-a has spent its one request: refused before upstream.
    const limited = await produce(fromA)
    expect(limited.status).toBe(429)
    expect(limited.json()).toMatchObject({ error: 'RATE_LIMITED', error_code: 42901 })
    // B's "team-a" is another tenant: not A's key, not A's override, not A's spent budget.
    for (let i = 0; i < 3; i++) expect((await produce(fromB)).status).toBe(200)
    expect(stack.emulator.requests.map((r) => r.headers['x-auth-token'])).toEqual([
      TEAM_KEY,
      stack.apiKey,
      stack.apiKey,
      stack.apiKey,
    ])
  })
})

describe('start-up check of rules with several issuers', () => {
  const issuers = [
    { issuer: 'https://a.example/', audience: 'k', jwksUrl: 'https://a.example/jwks' },
    { issuer: 'https://b.example/', audience: 'k', jwksUrl: 'https://b.example/jwks' },
  ]
  const parse = (changes: Record<string, unknown>) => {
    const base = baseConfig('http://127.0.0.1:1', 'key', {
      issuer: 'x',
      audience: 'k',
      jwksUrl: 'https://x/',
    } as LocalIssuer)
    return configSchema.safeParse({ ...base, auth: { issuers }, ...changes })
  }
  const problems = (result: ReturnType<typeof parse>) =>
    result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)

  it.each([
    [
      'a key mapping by tenant',
      {
        upstream: {
          url: 'http://127.0.0.1:1',
          keys: { default: { value: 'k' }, a: { value: 'a' } },
          keyMapping: [{ tenant: 't', key: 'a' }],
        },
      },
      'upstream.keyMapping.0.issuer',
    ],
    [
      'a rate-limit override by subject',
      { rateLimit: { overrides: [{ subject: 's', requests: 5 }] } },
      'rateLimit.overrides.0.issuer',
    ],
    [
      'a rate-limit override by tenant',
      { rateLimit: { overrides: [{ tenant: 't', requests: 5 }] } },
      'rateLimit.overrides.0.issuer',
    ],
    ['a topic rule by tenant', { authz: { rules: [{ tenant: 't', consume: ['x'] }] } }, 'authz.rules.0.issuer'],
    // A placeholder matches on the claim as surely as a condition does: B's "team-a" would get A's team-a topics.
    [
      'a topic rule with a {tenant} pattern',
      { authz: { rules: [{ produce: ['{tenant}.*'] }] } },
      'authz.rules.0.issuer',
    ],
    [
      'a topic rule with a {subject} pattern',
      { authz: { rules: [{ scope: 'reader', consume: ['shared', 'user.{subject}'] }] } },
      'authz.rules.0.issuer',
    ],
  ])('refuses %s without an issuer, naming the key and why', (_case, changes, path) => {
    const found = problems(parse(changes))
    expect(found).toHaveLength(1)
    expect(found[0]).toMatch(new RegExp(`^${path.replaceAll('.', '\\.')}: is required: several issuers are configured`))
  })

  it('refuses tenant group prefixes when two issuers carry a tenant claim: their tenants would share groups', () => {
    const tenants = issuers.map((issuer) => ({ ...issuer, tenantClaim: 'tenant' }))
    const found = problems(parse({ auth: { issuers: tenants }, authz: { consumers: { groupPrefix: 'tenant' } } }))
    expect(found).toHaveLength(1)
    expect(found[0]).toMatch(/^authz\.consumers\.groupPrefix: .*2 issuers carry a tenant claim/)
    // One issuer with a tenant claim: the other's callers have no tenant, so no group.
    const one = [tenants[0], issuers[1]]
    expect(problems(parse({ auth: { issuers: one }, authz: { consumers: { groupPrefix: 'tenant' } } }))).toEqual([])
  })

  it('accepts the same rules once they name their issuer, and issuer-less rules with one issuer', () => {
    const scoped = { rateLimit: { overrides: [{ issuer: 'https://a.example/', tenant: 't', requests: 5 }] } }
    expect(problems(parse(scoped))).toEqual([])
    const one = parse({ auth: { issuers: [issuers[0]] }, rateLimit: { overrides: [{ tenant: 't', requests: 5 }] } })
    expect(problems(one)).toEqual([])
  })
})
