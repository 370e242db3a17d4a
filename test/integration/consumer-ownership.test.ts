// Consumer instances belong to their creator (404 for anyone else, also across replicas sharing Redis); group prefixes.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { type LocalIssuer, startLocalIssuer } from '../../src/dev/local-issuer.js'
import { type Emulator, startEmulator } from '../../src/emulator/kafka-rest-emulator.js'
import { eventually } from '../support/eventually.js'
import { type RawResponse, rawRequest, V1_BINARY, V2, V2_BINARY } from '../support/http.js'
import { gatewayEnv, listeningUrl, runEntry, type Started } from '../support/processes.js'
import { type RedisServer, startRedis } from '../support/redis.js'
import { type Stack, startStack } from '../support/stack.js'

const UNKNOWN_INSTANCE = '{"error_code":40403,"message":"Consumer instance not found."}'

interface Call {
  method: string
  suffix: string
  headers?: Record<string, string>
  body?: unknown
}

/** Everything a consumer instance can be asked to do, in API v1 and v2. */
const USES: ReadonlyArray<readonly [string, Call]> = [
  ['read records (v2)', { method: 'GET', suffix: '/records', headers: { accept: V2_BINARY } }],
  ['read a topic (v1)', { method: 'GET', suffix: '/topics/shared', headers: { accept: V1_BINARY } }],
  [
    'commit offsets',
    { method: 'POST', suffix: '/offsets', body: { offsets: [{ topic: 'shared', partition: 0, offset: 0 }] } },
  ],
  [
    'read committed offsets',
    { method: 'GET', suffix: '/offsets', body: { partitions: [{ topic: 'shared', partition: 0 }] } },
  ],
  ['subscribe', { method: 'POST', suffix: '/subscription', body: { topics: ['shared'] } }],
  ['read the subscription', { method: 'GET', suffix: '/subscription' }],
  ['unsubscribe', { method: 'DELETE', suffix: '/subscription' }],
  [
    'assign partitions',
    { method: 'POST', suffix: '/assignments', body: { partitions: [{ topic: 'shared', partition: 0 }] } },
  ],
  ['seek', { method: 'POST', suffix: '/positions', body: { offsets: [{ topic: 'shared', partition: 0, offset: 0 }] } }],
  [
    'seek to the beginning',
    { method: 'POST', suffix: '/positions/beginning', body: { partitions: [{ topic: 'shared', partition: 0 }] } },
  ],
  [
    'seek to the end',
    { method: 'POST', suffix: '/positions/end', body: { partitions: [{ topic: 'shared', partition: 0 }] } },
  ],
  ['delete it', { method: 'DELETE', suffix: '' }],
]

function call(baseUrl: string, token: string, instancePath: string, { method, suffix, headers, body }: Call) {
  return rawRequest(`${baseUrl}${instancePath}${suffix}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': V2, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

function create(baseUrl: string, token: string, group: string, name: string): Promise<RawResponse> {
  return rawRequest(`${baseUrl}/consumers/${group}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': V2 },
    body: JSON.stringify({ name, format: 'binary' }),
  })
}

function expectUnknownInstance(res: RawResponse) {
  expect(res.status, res.body).toBe(404)
  expect(res.body).toBe(UNKNOWN_INSTANCE)
  expect(res.headers['x-gateway-error']).toBeUndefined()
}

describe('one gateway (memory store)', () => {
  let stack: Stack
  const tokens: Record<string, string> = {}
  beforeAll(async () => {
    stack = await startStack({
      configure: (input) => ({
        ...input,
        auth: { ...input.auth, issuers: input.auth.issuers.map((issuer) => ({ ...issuer, tenantClaim: 'tenant' })) },
        authz: { consumers: { groupPrefix: 'tenant', instanceTimeoutSeconds: 60 } },
      }),
    })
    tokens.alice = await stack.token('alice', { tenant: 'team-a' })
    tokens.bob = await stack.token('bob', { tenant: 'team-a' })
    tokens.carol = await stack.token('carol', { tenant: 'team-b' })
    tokens.none = await stack.token('dave')
  })
  afterAll(() => stack.close())

  it.each(USES)('gives another subject of the same tenant the upstream 404 when it tries to %s', async (_use, use) => {
    const name = `c-${Math.random().toString(36).slice(2)}`
    expect((await create(stack.url, tokens.alice as string, 'team-a.g', name)).status).toBe(200)
    const instance = `/consumers/team-a.g/instances/${name}`
    stack.emulator.clearRequests()
    expectUnknownInstance(await call(stack.url, tokens.bob as string, instance, use))
    expect(stack.emulator.requests).toEqual([])
    // The owner's request goes through (what the upstream then answers is its business).
    const own = await call(stack.url, tokens.alice as string, instance, use)
    expect(stack.emulator.requests, own.body).toHaveLength(1)
  })

  it('answers exactly like the upstream for an instance that does not exist', async () => {
    const upstream = await rawRequest(`${stack.emulator.url}/consumers/team-a.g/instances/nobody/records`, {
      headers: { 'x-auth-token': stack.apiKey, accept: V2_BINARY },
    })
    expect(upstream.status).toBe(404)
    expect(upstream.body).toBe(UNKNOWN_INSTANCE)
    expectUnknownInstance(
      await call(stack.url, tokens.alice as string, '/consumers/team-a.g/instances/nobody', USES[0]?.[1] as Call),
    )
  })

  it('forgets an instance once it is deleted', async () => {
    expect((await create(stack.url, tokens.alice as string, 'team-a.g', 'short-lived')).status).toBe(200)
    const instance = '/consumers/team-a.g/instances/short-lived'
    const deleted = await call(stack.url, tokens.alice as string, instance, { method: 'DELETE', suffix: '' })
    expect(deleted.status).toBe(204)
    stack.emulator.clearRequests()
    await eventually(
      async () => (await call(stack.url, tokens.alice as string, instance, USES[5]?.[1] as Call)).status === 404,
    )
    expect(stack.emulator.requests).toEqual([])
  })

  afterEach(() => {
    vi.useRealTimers()
  })

  it('lets a record expire after the idle timeout (60 s here), and each use refreshes it', async () => {
    expect((await create(stack.url, tokens.alice as string, 'team-a.g', 'idle')).status).toBe(200)
    const instance = '/consumers/team-a.g/instances/idle'
    const subscription = USES[5]?.[1] as Call
    // Only the clock is faked: the servers keep running on real timers.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() })
    const idle = async (ms: number) => {
      vi.setSystemTime(Date.now() + ms)
      return call(stack.url, tokens.alice as string, instance, subscription)
    }
    expect((await idle(50_000)).status).toBe(200)
    expect((await idle(50_000)).status).toBe(200)
    expectUnknownInstance(await idle(61_000))
  })

  it.each([
    ['a group of another tenant', 'carol', 'team-a.g'],
    ['a group without the tenant prefix', 'alice', 'orders'],
    ['the bare prefix', 'alice', 'team-a.'],
    ['a look-alike prefix', 'alice', 'team-ab.g'],
    ['any group without a tenant claim', 'none', 'team-a.g'],
  ])('refuses %s with 403, before upstream', async (_case, who, group) => {
    stack.emulator.clearRequests()
    const created = await create(stack.url, tokens[who] as string, group, 'x')
    expect(created.status, created.body).toBe(403)
    expect(created.json()).toMatchObject({ error: 'FORBIDDEN' })
    const used = await call(stack.url, tokens[who] as string, `/consumers/${group}/instances/x`, USES[0]?.[1] as Call)
    expect(used.status).toBe(403)
    expect(stack.emulator.requests).toEqual([])
  })
})

describe('two gateway processes sharing a real Redis', () => {
  let redis: RedisServer
  let emulator: Emulator
  let issuer: LocalIssuer
  const gateways: Started[] = []
  const urls: string[] = []
  const apiKey = 'shared-upstream-key-0123456789'

  beforeAll(async () => {
    ;[redis, emulator, issuer] = await Promise.all([
      startRedis(),
      startEmulator({ apiKeys: [apiKey] }),
      startLocalIssuer(),
    ])
    for (let i = 0; i < 2; i++) {
      const peers = { upstreamUrl: emulator.url, apiKey, issuer }
      const gateway = runEntry(
        'src/main.ts',
        gatewayEnv(peers, { GATEWAY_REDIS_URL: redis.url, GATEWAY_AUDIT_OUTPUT: 'stdout' }),
      )
      gateways.push(gateway)
      urls.push(await listeningUrl(gateway))
    }
    // A replica answers 503 until its Redis connection is up (ownership never fails open): wait for both.
    const probe = await issuer.mint({ sub: 'probe' })
    for (const url of urls) {
      await eventually(
        async () => (await call(url, probe, '/consumers/g/instances/none', USES[5]?.[1] as Call)).status === 404,
        {
          timeoutMs: 15_000,
        },
      )
    }
  })
  afterAll(async () => {
    for (const gateway of gateways) expect(await gateway.stop()).toBe(0)
    await Promise.all([redis?.close(), emulator?.close(), issuer?.close()])
  })

  it('refuses subject B on replica 2 what subject A created on replica 1, and lets A use it there', async () => {
    const [one, two] = urls as [string, string]
    const alice = await issuer.mint({ sub: 'alice' })
    const bob = await issuer.mint({ sub: 'bob' })
    expect((await create(one, alice, 'shared-group', 'a1')).status).toBe(200)
    const instance = '/consumers/shared-group/instances/a1'
    emulator.clearRequests()
    for (const name of ['read records (v2)', 'commit offsets', 'subscribe', 'delete it']) {
      const use = USES.find(([label]) => label === name)?.[1] as Call
      expectUnknownInstance(await call(two, bob, instance, use))
      expectUnknownInstance(await call(one, bob, instance, use))
    }
    expect(emulator.requests).toEqual([])
    // Each refused attempt is in the audit log (stdout here), as bob's, with the reason.
    const auditedBob = () =>
      (gateways[1] as Started)
        .output()
        .split('\n')
        .filter((line) => line.includes('"msg":"audit"') && line.includes('"subject":"bob"'))
        .map((line) => JSON.parse(line) as Record<string, unknown>)
    // The line is written when the response closes, and reaches this process through a pipe: wait for it.
    await eventually(() => auditedBob().length === 4)
    for (const line of auditedBob())
      expect(line).toMatchObject({ refusal: 'INSTANCE_NOT_OWNED', status: 404, instance: 'a1' })
    expect((await call(two, alice, instance, USES[4]?.[1] as Call)).status).toBe(204)
    expect((await call(two, alice, instance, USES[11]?.[1] as Call)).status).toBe(204)
    await eventually(async () => (await call(one, alice, instance, USES[5]?.[1] as Call)).status === 404)
  })

  it('refuses with 503, never lets through, while Redis cannot answer; instances need recreating after a Redis loss', async () => {
    const [one] = urls as [string]
    const alice = await issuer.mint({ sub: 'alice' })
    expect((await create(one, alice, 'shared-group', 'a2')).status).toBe(200)
    const instance = '/consumers/shared-group/instances/a2'
    await redis.stop()
    emulator.clearRequests()
    const refused = await call(one, alice, instance, USES[5]?.[1] as Call)
    expect(refused.status, refused.body).toBe(503)
    expect(refused.json()).toMatchObject({ error_code: 50392, error: 'OWNERSHIP_UNAVAILABLE' })
    expect(refused.headers['retry-after']).toBe('1')
    const created = await create(one, alice, 'shared-group', 'a3')
    expect(created.json()).toMatchObject({ error: 'OWNERSHIP_UNAVAILABLE' })
    // Only the creation reached the upstream; nothing was let through on an unchecked instance.
    expect(emulator.requests.map((request) => request.method)).toEqual(['POST'])
    await redis.start()
    await eventually(async () => (await call(one, alice, instance, USES[5]?.[1] as Call)).status === 404, {
      timeoutMs: 10_000,
    })
    expect((await create(one, alice, 'shared-group', 'a4')).status).toBe(200)
  })
})
