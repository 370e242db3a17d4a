// Consumer instances belong to their creator (404 for anyone else, also across replicas sharing Redis); group prefixes.
import http from 'node:http'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type LocalIssuer, startLocalIssuer } from '../../src/dev/local-issuer.js'
import { type Emulator, startEmulator } from '../../src/emulator/kafka-rest-emulator.js'
import { eventually } from '../support/eventually.js'
import { type FaultUpstream, startFaultUpstream } from '../support/fault-upstream.js'
import { CT, type RawResponse, rawRequest, V1_BINARY, V2, V2_BINARY } from '../support/http.js'
import { gatewayEnv, listeningUrl, runEntry, type Started } from '../support/processes.js'
import { type RedisServer, startRedis } from '../support/redis.js'
import { type Stack, startStack } from '../support/stack.js'

const UNKNOWN_INSTANCE = '{"error_code":40403,"message":"Consumer instance not found."}'

type Namespace = 'v1' | 'v2'

interface Call {
  /** The consumer API the route belongs to (v1 and v2 instances are separate upstream). */
  namespace?: Namespace
  method: string
  suffix: string
  headers?: Record<string, string>
  body?: unknown
}

/** Everything a consumer instance can be asked to do, v2 unless it says v1. */
const USES: ReadonlyArray<readonly [string, Call]> = [
  ['read records (v2)', { method: 'GET', suffix: '/records', headers: { accept: V2_BINARY } }],
  ['read a topic (v1)', { namespace: 'v1', method: 'GET', suffix: '/topics/shared', headers: { accept: V1_BINARY } }],
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

function create(baseUrl: string, token: string, group: string, name: string, ns: Namespace = 'v2') {
  return rawRequest(`${baseUrl}/consumers/${group}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': ns === 'v2' ? V2 : CT.V1 },
    body: JSON.stringify({ name, format: 'binary' }),
  })
}

/** A v1 use the upstream answers 200 for any live v1 instance (the body-less commit). */
const V1_COMMIT: Call = { namespace: 'v1', method: 'POST', suffix: '/offsets', headers: { 'content-type': CT.V1 } }

/** Deletes an instance at the upstream itself, as its idle timer would: the gateway's record outlives it. */
function expireUpstream(emulator: Emulator, apiKey: string, group: string, name: string, ns: Namespace) {
  const media = ns === 'v2' ? V2 : CT.V1
  return rawRequest(`${emulator.url}/consumers/${group}/instances/${name}`, {
    method: 'DELETE',
    headers: { 'x-auth-token': apiKey, 'content-type': media, accept: media },
  })
}

function expectRefusal(res: RawResponse, status: number, error: string, errorCode: number) {
  expect(res.status, res.body).toBe(status)
  expect(res.json()).toMatchObject({ error_code: errorCode, error })
  expect(res.headers['x-gateway-error']).toBe(error)
}

const fresh = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2)}`

function expectUnknownInstance(res: RawResponse) {
  expect(res.status, res.body).toBe(404)
  expect(res.body).toBe(UNKNOWN_INSTANCE)
  expect(res.headers['x-gateway-error']).toBeUndefined()
}

describe('one gateway (memory store)', () => {
  let stack: Stack
  // The gateway's clock (ownership records, rate limits, token expiry): tests move it, the servers keep real timers.
  let clock = Date.now()
  const tokens: Record<string, string> = {}
  const token = async (sub: string, tenant = 'team-a') => {
    tokens[sub] ??= await stack.token(sub, { tenant })
    return tokens[sub] as string
  }
  beforeAll(async () => {
    stack = await startStack({
      configure: (input) => ({
        ...input,
        auth: { ...input.auth, issuers: input.auth.issuers.map((issuer) => ({ ...issuer, tenantClaim: 'tenant' })) },
        authz: { consumers: { groupPrefix: 'tenant', instanceTimeoutSeconds: 60, maxInstancesPerCaller: 3 } },
      }),
      deps: { now: () => clock },
    })
    tokens.carol = await stack.token('carol', { tenant: 'team-b' })
    tokens.none = await stack.token('dave')
    // An empty claim is no tenant, not a tenant named "" whose groups start with ".".
    tokens.empty = await stack.token('erin', { tenant: '' })
  })
  afterAll(() => stack.close())
  // Each test's owner is a new caller, so no test spends another's places under the cap of 3.
  let owner = 'alice'
  beforeEach(() => {
    owner = fresh('alice')
  })

  it.each(USES)('gives another subject of the same tenant the upstream 404 when it tries to %s', async (_use, use) => {
    const name = fresh('c')
    expect((await create(stack.url, await token(owner), 'team-a.g', name, use.namespace)).status).toBe(200)
    const instance = `/consumers/team-a.g/instances/${name}`
    stack.emulator.clearRequests()
    expectUnknownInstance(await call(stack.url, await token('bob'), instance, use))
    expect(stack.emulator.requests).toEqual([])
    // The owner's request goes through (what the upstream then answers is its business).
    const own = await call(stack.url, await token(owner), instance, use)
    expect(stack.emulator.requests, own.body).toHaveLength(1)
  })

  const encodeAll = (name: string) => [...name].map((char) => `%${char.charCodeAt(0).toString(16)}`).join('')
  it.each([
    ['a trailing slash', 'GET', (g: string, i: string) => `/consumers/${g}/instances/${i}/records/`],
    ['route words in upper case', 'GET', (g: string, i: string) => `/CONSUMERS/${g}/INSTANCES/${i}/RECORDS`],
    [
      'a percent-encoded instance',
      'GET',
      (g: string, i: string) => `/consumers/${g}/instances/${encodeAll(i)}/records`,
    ],
    ['a percent-encoded group', 'GET', (g: string, i: string) => `/consumers/${encodeAll(g)}/instances/${i}/records`],
    ['HEAD', 'HEAD', (g: string, i: string) => `/consumers/${g}/instances/${i}/records`],
  ])("gives another caller the upstream 404 for the owner's instance spelt with %s", async (_how, method, path) => {
    const name = fresh('spelt')
    expect((await create(stack.url, await token(owner), 'team-a.g', name)).status).toBe(200)
    stack.emulator.clearRequests()
    const request = (caller: string) =>
      rawRequest(`${stack.url}${path('team-a.g', name)}`, {
        method,
        headers: { authorization: `Bearer ${caller}`, accept: V2_BINARY },
      })
    const res = await request(await token('bob'))
    if (method === 'HEAD') expect(res.status).toBe(404)
    else expectUnknownInstance(res)
    expect(stack.emulator.requests).toEqual([])
    // The same spelling is the owner's instance: it goes upstream.
    await request(await token(owner))
    expect(stack.emulator.requests).toHaveLength(1)
  })

  it('answers exactly like the upstream for an instance that does not exist', async () => {
    const upstream = await rawRequest(`${stack.emulator.url}/consumers/team-a.g/instances/nobody/records`, {
      headers: { 'x-auth-token': stack.apiKey, accept: V2_BINARY },
    })
    expect(upstream.status).toBe(404)
    expect(upstream.body).toBe(UNKNOWN_INSTANCE)
    expectUnknownInstance(
      await call(stack.url, await token(owner), '/consumers/team-a.g/instances/nobody', USES[0]?.[1] as Call),
    )
  })

  it("keeps the v1 and v2 namespaces apart: the same name in the other one is another caller's instance", async () => {
    const [alice, bob] = [await token(owner), await token('bob')]
    const name = fresh('twin')
    const instance = `/consumers/team-a.g/instances/${name}`
    expect((await create(stack.url, alice, 'team-a.g', name, 'v2')).status).toBe(200)
    // The upstream keeps v1 instances apart, so bob's v1 create of the same name is a new instance, and his.
    expect((await create(stack.url, bob, 'team-a.g', name, 'v1')).status).toBe(200)
    const v2Read = USES[0]?.[1] as Call
    const v1Read = USES[1]?.[1] as Call
    stack.emulator.clearRequests()
    expectUnknownInstance(await call(stack.url, bob, instance, v2Read))
    expectUnknownInstance(await call(stack.url, alice, instance, v1Read))
    // A delete whose headers name no version could reach either: both namespaces must be the caller's.
    const unsure = { method: 'DELETE', suffix: '', headers: { 'content-type': CT.J } }
    expectUnknownInstance(await call(stack.url, bob, instance, unsure))
    expectUnknownInstance(await call(stack.url, alice, instance, unsure))
    expect(stack.emulator.requests).toEqual([])
    expect((await call(stack.url, bob, instance, V1_COMMIT)).status).toBe(200)
    const v1Delete = { method: 'DELETE', suffix: '', headers: { 'content-type': CT.V1, accept: CT.V1 } }
    expect((await call(stack.url, bob, instance, v1Delete)).status).toBe(204)
    expect((await call(stack.url, alice, instance, USES[5]?.[1] as Call)).status).toBe(200)
    expect(stack.emulator.requests.map((r) => `${r.method} ${r.headers['content-type']}`)).toEqual([
      `POST ${CT.V1}`,
      `DELETE ${CT.V1}`,
      `GET ${V2}`,
    ])
  })

  it.each([
    ['a lower weight', `${V2};q=0.5, ${CT.KJ}`],
    ['a zero weight', `${V2};q=0`],
    ['a wildcard', `${V2};q=0.5, */*`],
  ])(
    "does not take an Accept that names the caller's namespace with %s as certain: the upstream weighs it",
    async (_how, accept) => {
      // A new attacker per case, so these creates spend no place of bob's under the cap.
      const [alice, bob] = [await token(owner), await token(fresh('mallory'))]
      const name = fresh('weighed')
      const instance = `/consumers/team-a.g/instances/${name}`
      expect((await create(stack.url, alice, 'team-a.g', name, 'v1')).status).toBe(200)
      expect((await create(stack.url, bob, 'team-a.g', name, 'v2')).status).toBe(200)
      stack.emulator.clearRequests()
      // Jersey picks the method by the client's weights: this delete would reach alice's v1 instance.
      const res = await rawRequest(`${stack.url}${instance}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${bob}`, accept },
      })
      expectUnknownInstance(res)
      expect(stack.emulator.requests).toEqual([])
      expect((await call(stack.url, alice, instance, V1_COMMIT)).status).toBe(200)
    },
  )

  it("never hands the owner's instance to a create racing its delete: whoever gets a 200 owns what the upstream made", async () => {
    const read = USES[5]?.[1] as Call
    for (let round = 0; round < 10; round++) {
      const [alice, bob] = [await token(fresh('alice')), await token(fresh('bob'))]
      const name = fresh('raced')
      const instance = `/consumers/team-a.g/instances/${name}`
      expect((await create(stack.url, alice, 'team-a.g', name)).status).toBe(200)
      const [deleted, created] = await Promise.all([
        call(stack.url, alice, instance, USES[11]?.[1] as Call),
        create(stack.url, bob, 'team-a.g', name),
      ])
      expect(deleted.status, deleted.body).toBe(204)
      expect([200, 409], created.body).toContain(created.status)
      // Alice's instance is gone; the name is bob's only if his create succeeded, and then only his.
      expectUnknownInstance(await call(stack.url, alice, instance, read))
      const bobs = await call(stack.url, bob, instance, read)
      if (created.status === 200) expect(bobs.status, bobs.body).toBe(200)
      else expectUnknownInstance(bobs)
    }
  })

  it.each(['v1', 'v2'] as const)(
    'leaves a second %s create of the same name to the upstream 409; the owner keeps it',
    async (ns) => {
      const name = fresh('dup')
      expect((await create(stack.url, await token(owner), 'team-a.g', name, ns)).status).toBe(200)
      stack.emulator.clearRequests()
      const second = await create(stack.url, await token('bob'), 'team-a.g', name, ns)
      expect(second.status, second.body).toBe(409)
      expect(second.json()).toMatchObject({ error_code: 40902 })
      expect(stack.emulator.requests.map((r) => r.method)).toEqual(['POST'])
      const read = ns === 'v2' ? (USES[5]?.[1] as Call) : V1_COMMIT
      expectUnknownInstance(await call(stack.url, await token('bob'), `/consumers/team-a.g/instances/${name}`, read))
      expect((await call(stack.url, await token(owner), `/consumers/team-a.g/instances/${name}`, read)).status).toBe(
        200,
      )
    },
  )

  it.each(['v1', 'v2'] as const)(
    'refuses a %s create of a name whose record outlived the upstream instance with 409, and deletes what it made',
    async (ns) => {
      const name = fresh('stale')
      const [alice, bob] = [await token(owner), await token('bob')]
      expect((await create(stack.url, alice, 'team-a.g', name, ns)).status).toBe(200)
      expect((await expireUpstream(stack.emulator, stack.apiKey, 'team-a.g', name, ns)).status).toBe(204)
      stack.emulator.clearRequests()
      const refused = await create(stack.url, bob, 'team-a.g', name, ns)
      expectRefusal(refused, 409, 'CONSUMER_INSTANCE_TAKEN', 40990)
      // The upstream made bob's instance; the gateway deleted it again, in the right namespace, with the upstream key.
      const media = ns === 'v2' ? V2 : CT.V1
      expect(
        stack.emulator.requests.map((r) => [r.method, r.url, r.headers['content-type'], r.headers['x-auth-token']]),
      ).toEqual([
        ['POST', '/consumers/team-a.g', media, stack.apiKey],
        ['DELETE', `/consumers/team-a.g/instances/${name}`, media, stack.apiKey],
      ])
      expect((await expireUpstream(stack.emulator, stack.apiKey, 'team-a.g', name, ns)).status).toBe(404)
      // The name is still alice's: she can create it again and use it.
      expect((await create(stack.url, alice, 'team-a.g', name, ns)).status).toBe(200)
      const read = ns === 'v2' ? (USES[5]?.[1] as Call) : V1_COMMIT
      expect((await call(stack.url, alice, `/consumers/team-a.g/instances/${name}`, read)).status).toBe(200)
    },
  )

  it("refuses a caller's 4th live instance with 429 before upstream; others are not affected; a delete frees a place", async () => {
    const erin = await token('erin')
    const names = [fresh('e'), fresh('e'), fresh('e')]
    for (const name of names) expect((await create(stack.url, erin, 'team-a.g', name)).status).toBe(200)
    stack.emulator.clearRequests()
    const refused = await create(stack.url, erin, 'team-a.g', fresh('e'))
    expectRefusal(refused, 429, 'TOO_MANY_CONSUMERS', 42990)
    expect(refused.json<{ message: string }>().message).toContain('3 live consumer instances')
    expect(stack.emulator.requests).toEqual([])
    expect((await create(stack.url, await token('frank'), 'team-a.g', fresh('f'))).status).toBe(200)
    const deleted = await call(stack.url, erin, `/consumers/team-a.g/instances/${names[0]}`, USES[11]?.[1] as Call)
    expect(deleted.status).toBe(204)
    await eventually(async () => (await create(stack.url, erin, 'team-a.g', fresh('e'))).status === 200)
  })

  it('forgets an instance once it is deleted', async () => {
    expect((await create(stack.url, await token(owner), 'team-a.g', 'short-lived')).status).toBe(200)
    const instance = '/consumers/team-a.g/instances/short-lived'
    const deleted = await call(stack.url, await token(owner), instance, { method: 'DELETE', suffix: '' })
    expect(deleted.status).toBe(204)
    stack.emulator.clearRequests()
    await eventually(
      async () => (await call(stack.url, await token(owner), instance, USES[5]?.[1] as Call)).status === 404,
    )
    expect(stack.emulator.requests).toEqual([])
  })

  it('lets a record expire after the idle timeout (60 s here, plus at most a tenth), and uses refresh it', async () => {
    const alice = await token(owner)
    expect((await create(stack.url, alice, 'team-a.g', 'idle')).status).toBe(200)
    const instance = '/consumers/team-a.g/instances/idle'
    const subscription = USES[5]?.[1] as Call
    const idle = async (ms: number) => {
      clock += ms
      return call(stack.url, alice, instance, subscription)
    }
    expect((await idle(50_000)).status).toBe(200)
    // The refresh is written after the answer: wait until it took (the next use at +50 s would else find it expired).
    await eventually(async () => (await call(stack.url, alice, instance, subscription)).status === 200)
    expect((await idle(50_000)).status).toBe(200)
    await eventually(async () => (await call(stack.url, alice, instance, subscription)).status === 200)
    // A refresh adds a tenth of the timeout (refreshes are spaced by it): 60 + 6 s after the last refresh.
    expectUnknownInstance(await idle(67_000))
  })

  it.each([
    ['a group of another tenant', 'carol', 'team-a.g'],
    ['a group without the tenant prefix', 'alice', 'orders'],
    ['the bare prefix', 'alice', 'team-a.'],
    ['a look-alike prefix', 'alice', 'team-ab.g'],
    ['any group without a tenant claim', 'none', 'team-a.g'],
    ['a group of the empty tenant', 'empty', '.g'],
  ])('refuses %s with 403, before upstream', async (_case, who, group) => {
    stack.emulator.clearRequests()
    const caller = tokens[who] ?? (await token(who))
    const created = await create(stack.url, caller, group, 'x')
    expect(created.status, created.body).toBe(403)
    expect(created.json()).toMatchObject({ error: 'FORBIDDEN' })
    const used = await call(stack.url, caller, `/consumers/${group}/instances/x`, USES[0]?.[1] as Call)
    expect(used.status).toBe(403)
    expect(stack.emulator.requests).toEqual([])
  })
})

describe('one gateway with a small memory store under pressure', () => {
  let stack: Stack
  beforeAll(async () => {
    stack = await startStack({
      configure: (input) => ({
        ...input,
        // 40 entries: records may use 20 of them; each caller's instances and its set count.
        rateLimit: { memory: { maxKeys: 40 } },
        authz: { consumers: { maxInstancesPerCaller: 3 } },
      }),
    })
  })
  afterAll(() => stack.close())

  it("never evicts a live instance for another caller's: the store refuses new ones (503) instead", async () => {
    const alice = await stack.token('alice')
    expect((await create(stack.url, alice, 'g', 'precious')).status).toBe(200)
    const statuses: number[] = []
    for (let caller = 0; caller < 10; caller++) {
      const mallory = await stack.token(`mallory-${caller}`)
      for (let i = 0; i < 3; i++) {
        const name = `m-${caller}-${i}`
        const res = await create(stack.url, mallory, 'g', name)
        statuses.push(res.status)
        if (res.status === 200) continue
        expectRefusal(res, 503, 'OWNERSHIP_UNAVAILABLE', 50392)
        // A refused create leaves no instance upstream (refused before it, or deleted again).
        expect((await expireUpstream(stack.emulator, stack.apiKey, 'g', name, 'v2')).status).toBe(404)
      }
    }
    expect(statuses).toContain(503)
    stack.emulator.clearRequests()
    expect((await call(stack.url, alice, '/consumers/g/instances/precious', USES[5]?.[1] as Call)).status).toBe(200)
    expect(stack.emulator.requests).toHaveLength(1)
  })
})

describe('a consumer create whose client hangs up before the answer', () => {
  // This upstream receives every create and never answers it (its /hang paths): whether it made the instance is unknown.
  let fault: FaultUpstream
  let stack: Stack
  beforeAll(async () => {
    fault = await startFaultUpstream()
    stack = await startStack({
      configure: (input) => ({
        ...input,
        upstream: { ...input.upstream, url: `${fault.url}/hang` },
        authz: { consumers: { maxInstancesPerCaller: 2 } },
      }),
    })
  })
  afterAll(async () => {
    await stack.close()
    await fault.close()
  })

  it('keeps its place under the cap: hanging up cannot make more instances upstream than the cap allows', async () => {
    const mallory = await stack.token('mallory')
    const send = (name: string) => {
      const req = http.request(`${stack.url}/consumers/g`, {
        method: 'POST',
        headers: { authorization: `Bearer ${mallory}`, 'content-type': V2 },
      })
      req.on('error', () => {})
      req.end(JSON.stringify({ name }))
      return req
    }
    for (let i = 1; i <= 2; i++) {
      const req = send(`orphan-${i}`)
      // The whole create reached the upstream, which may have made the instance; then the client leaves.
      await eventually(() => fault.seen.length === i && fault.seen[i - 1]?.bytes !== 0)
      req.destroy()
      await eventually(() => fault.aborted() === i)
    }
    // The third create is answered by the gateway, or it reaches the upstream (which never answers): wait for either.
    const third = send('orphan-3')
    let answer: RawResponse | undefined
    third.on('response', (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8')
        answer = { status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) }
      })
    })
    await eventually(() => answer !== undefined || fault.seen.length > 2)
    third.destroy()
    expect(fault.seen.map((seen) => seen.url)).toEqual(['/hang/consumers/g', '/hang/consumers/g'])
    expectRefusal(answer as RawResponse, 429, 'TOO_MANY_CONSUMERS', 42990)
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
        'src/process/main.ts',
        gatewayEnv(peers, {
          GATEWAY_REDIS_URL: redis.url,
          GATEWAY_AUDIT_OUTPUT: 'stdout',
          GATEWAY_AUTHZ_MAX_CONSUMERS_PER_CALLER: '2',
        }),
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

  it('lets exactly one of two creates of one name, sent at once to two replicas, have the instance', async () => {
    const [one, two] = urls as [string, string]
    const read = USES[5]?.[1] as Call
    for (let round = 0; round < 5; round++) {
      const [alice, bob] = [await issuer.mint({ sub: fresh('alice') }), await issuer.mint({ sub: fresh('bob') })]
      const name = fresh('both')
      const results = await Promise.all([create(one, alice, 'race', name), create(two, bob, 'race', name)])
      expect(results.map((res) => res.status).sort(), results.map((res) => res.body).join(' ')).toEqual([200, 409])
      const [winner, loser] = results[0]?.status === 200 ? [alice, bob] : [bob, alice]
      const instance = `/consumers/race/instances/${name}`
      for (const url of urls) {
        expect((await call(url, winner, instance, read)).status).toBe(200)
        expectUnknownInstance(await call(url, loser, instance, read))
      }
    }
  })

  it('keeps namespaces apart and refuses a takeover across replicas; the store holds no user names', async () => {
    const [one, two] = urls as [string, string]
    const alice = await issuer.mint({ sub: 'alice@example.com' })
    const bob = await issuer.mint({ sub: 'bob@example.com' })
    const instance = '/consumers/shared-group/instances/twin'
    expect((await create(one, alice, 'shared-group', 'twin', 'v2')).status).toBe(200)
    expect((await create(two, bob, 'shared-group', 'twin', 'v1')).status).toBe(200)
    emulator.clearRequests()
    expectUnknownInstance(await call(one, bob, instance, USES[5]?.[1] as Call))
    expectUnknownInstance(await call(two, alice, instance, V1_COMMIT))
    expect(emulator.requests).toEqual([])
    // Alice's v2 record outlives its upstream instance; bob's create of that name on the other replica is refused.
    expect((await expireUpstream(emulator, apiKey, 'shared-group', 'twin', 'v2')).status).toBe(204)
    emulator.clearRequests()
    expectRefusal(await create(two, bob, 'shared-group', 'twin', 'v2'), 409, 'CONSUMER_INSTANCE_TAKEN', 40990)
    expect(emulator.requests.map((r) => `${r.method} ${r.url} ${r.headers['content-type']}`)).toEqual([
      `POST /consumers/shared-group ${V2}`,
      `DELETE ${instance} ${V2}`,
    ])
    const client = new Redis(redis.url)
    try {
      const keys = await client.keys('*')
      expect(keys.some((key) => key.includes('owner:{v2/shared-group/twin}'))).toBe(true)
      const stored = await Promise.all(
        keys.map(async (key) =>
          (await client.type(key)) === 'zset' ? client.zrange(key, 0, -1) : [await client.get(key)],
        ),
      )
      const everything = [...keys, ...stored.flat()].join('\n')
      for (const name of ['alice', 'bob', 'example.com', issuer.issuer]) expect(everything).not.toContain(name)
    } finally {
      client.disconnect()
    }
  })

  it("counts a caller's instances across replicas: the third create is refused with 429 before upstream", async () => {
    const [one, two] = urls as [string, string]
    const carol = await issuer.mint({ sub: 'carol' })
    expect((await create(one, carol, 'g', 'c1')).status).toBe(200)
    expect((await create(two, carol, 'g', 'c2')).status).toBe(200)
    emulator.clearRequests()
    expectRefusal(await create(one, carol, 'g', 'c3'), 429, 'TOO_MANY_CONSUMERS', 42990)
    expectRefusal(await create(two, carol, 'g', 'c3'), 429, 'TOO_MANY_CONSUMERS', 42990)
    expect(emulator.requests).toEqual([])
  })

  it('refuses with 503, never lets through, while Redis cannot answer; instances need recreating after a Redis loss', async () => {
    const [one] = urls as [string]
    const alice = await issuer.mint({ sub: 'alice' })
    expect((await create(one, alice, 'shared-group', 'a2')).status).toBe(200)
    const instance = '/consumers/shared-group/instances/a2'
    await redis.stop()
    emulator.clearRequests()
    const refused = await call(one, alice, instance, USES[5]?.[1] as Call)
    expectRefusal(refused, 503, 'OWNERSHIP_UNAVAILABLE', 50392)
    expect(refused.headers['retry-after']).toBe('1')
    // A create is refused before it reaches the upstream: no instance is left there that nobody could use.
    expectRefusal(await create(one, alice, 'shared-group', 'a3'), 503, 'OWNERSHIP_UNAVAILABLE', 50392)
    expect(emulator.requests).toEqual([])
    await redis.start()
    await eventually(async () => (await call(one, alice, instance, USES[5]?.[1] as Call)).status === 404, {
      timeoutMs: 10_000,
    })
    expect((await create(one, alice, 'shared-group', 'a4')).status).toBe(200)
  })
})
