// Topic permissions from claims and scopes: topics in paths and in v2 bodies, GET /topics filtering, hidden topics.
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { b64, type RawResponse, rawRequest, V1_BINARY, V2, V2_BINARY } from '../support/http.js'
import { expectRawRefusal } from '../support/refusal.js'
import { type Stack, seedTopics, startStack } from '../support/stack.js'

let stack: Stack
const tokens: Record<string, string> = {}
const EXISTING = ['orders.eu', 'orders.us', 'shared', 'payments', 'team-b.x', 'metrics.cpu']

beforeAll(async () => {
  stack = await startStack({
    configure: (input) => ({
      ...input,
      auth: { ...input.auth, issuers: input.auth.issuers.map((issuer) => ({ ...issuer, tenantClaim: 'tenant' })) },
      authz: {
        enabled: true,
        rules: [
          { tenant: 'team-a', produce: ['orders.*'], consume: ['orders.*', 'shared'] },
          { subject: 'auditor', consume: ['*'] },
        ],
      },
    }),
  })
  await seedTopics(stack, EXISTING)
  tokens.teamA = await stack.token('alice', { tenant: 'team-a' })
  tokens.scoped = await stack.token('metrics-agent', { scope: 'openid kafka:produce:metrics.*' })
  tokens.auditor = await stack.token('auditor')
})
afterAll(() => stack.close())

type Caller = 'teamA' | 'scoped' | 'auditor'
interface Call {
  method?: string
  path: string
  headers?: Record<string, string>
  body?: unknown
}

function send(caller: Caller, { method = 'GET', path, headers = {}, body }: Call): Promise<RawResponse> {
  return rawRequest(`${stack.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${tokens[caller]}`, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

const produceV2 = (topic: string): Call => ({
  method: 'POST',
  path: `/topics/${topic}`,
  headers: { 'content-type': V2_BINARY },
  body: { records: [{ value: b64('v') }] },
})
const produceV1Partition = (topic: string): Call => ({
  method: 'POST',
  path: `/topics/${topic}/partitions/0`,
  headers: { 'content-type': V1_BINARY },
  body: { records: [{ value: b64('v') }] },
})
const produceV3 = (topic: string): Call => ({
  method: 'POST',
  path: `/v3/clusters/cluster-1/topics/${topic}/records`,
  headers: { 'content-type': 'application/json' },
  body: { value: { type: 'BINARY', data: b64('v') } },
})
const simpleConsume = (topic: string): Call => ({
  path: `/topics/${topic}/partitions/0/messages?offset=0`,
  headers: { accept: V1_BINARY },
})
const consumeV1 = (topic: string): Call => ({
  path: `/consumers/g/instances/i/topics/${topic}`,
  headers: { accept: V1_BINARY },
})

describe('topics in paths', () => {
  it.each([
    ['team-a produces (v2) to orders.eu', 'teamA', produceV2('orders.eu'), 200],
    ['team-a produces (v1, partition) to orders.us', 'teamA', produceV1Partition('orders.us'), 200],
    ['team-a consumes orders.eu (simple consumer)', 'teamA', simpleConsume('orders.eu'), 200],
    ['team-a consumes shared', 'teamA', simpleConsume('shared'), 200],
    ['a kafka:produce:metrics.* scope produces to metrics.cpu', 'scoped', produceV2('metrics.cpu'), 200],
    ['the auditor consumes anything', 'auditor', simpleConsume('payments'), 200],
  ] as const)('allows: %s', async (_case, caller, call, status) => {
    stack.emulator.clearRequests()
    const res = await send(caller, call)
    expect(res.status, res.body).toBe(status)
    expect(stack.emulator.requests).toHaveLength(1)
  })

  it.each([
    ['team-a produces (v2) to payments', 'teamA', produceV2('payments'), 'produce', 'payments'],
    ['team-a produces (v1, partition) to shared', 'teamA', produceV1Partition('shared'), 'produce', 'shared'],
    ['team-a produces (v3) to payments', 'teamA', produceV3('payments'), 'produce', 'payments'],
    ['team-a consumes payments (simple consumer)', 'teamA', simpleConsume('payments'), 'consume', 'payments'],
    ['team-a consumes team-b.x (v1 consumer)', 'teamA', consumeV1('team-b.x'), 'consume', 'team-b.x'],
    ['team-a produces to a glob look-alike', 'teamA', produceV2('ordersXeu'), 'produce', 'ordersXeu'],
    ['the metrics scope does not consume', 'scoped', simpleConsume('metrics.cpu'), 'consume', 'metrics.cpu'],
    ['the metrics scope does not reach other topics', 'scoped', produceV2('metrics'), 'produce', 'metrics'],
    ['the auditor does not produce', 'auditor', produceV2('shared'), 'produce', 'shared'],
  ] as const)('refuses with 403 before upstream: %s', async (_case, caller, call, action, topic) => {
    stack.emulator.clearRequests()
    const res = await send(caller, call)
    expectForbidden(res, action, topic)
    expect(stack.emulator.requests).toEqual([])
  })
})

function expectForbidden(res: RawResponse, action: string, topic: string) {
  expect(res.status, res.body).toBe(403)
  expect(res.json()).toMatchObject({
    error_code: 40390,
    error: 'FORBIDDEN',
    message: expect.stringContaining(topic === '*' ? 'topic_pattern' : `"${topic}"`),
  })
  expect(res.headers['www-authenticate']).toBe(
    `Bearer realm="kafka-rest-gateway", error="insufficient_scope", scope="kafka:${action}:${topic}"`,
  )
  expect(res.headers['x-gateway-error']).toBe('FORBIDDEN')
}

describe('topic metadata', () => {
  it('lists exactly the topics the caller may produce to or consume from', async () => {
    const res = await send('teamA', { path: '/topics', headers: { accept: V2 } })
    expect(res.status).toBe(200)
    expect(res.json<string[]>().sort()).toEqual(['orders.eu', 'orders.us', 'shared'])
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.body))
    expect((await send('scoped', { path: '/topics' })).json()).toEqual(['metrics.cpu'])
  })

  it('lists every topic to a caller allowed to consume everything', async () => {
    const all = (await rawRequest(`${stack.emulator.url}/topics`, { headers: { 'x-auth-token': stack.apiKey } })).json()
    expect((await send('auditor', { path: '/topics' })).json()).toEqual(all)
  })

  it.each(['', '/partitions', '/partitions/0', '/partitions/0/offsets'])(
    'answers a hidden topic (GET /topics/payments%s) exactly as the upstream answers a missing one',
    async (suffix) => {
      const hidden = await send('teamA', { path: `/topics/payments${suffix}` })
      const missing = await send('auditor', { path: `/topics/no-such-topic${suffix}` })
      stack.emulator.clearRequests()
      await send('teamA', { path: `/topics/payments${suffix}` })
      expect(stack.emulator.requests).toEqual([])
      expect(missing.status).toBe(404)
      expect(hidden.status).toBe(404)
      expect(hidden.body).toBe(missing.body)
      expect(hidden.body).toBe('{"error_code":40401,"message":"Topic not found."}')
      expect(hidden.headers['content-type']).toBe(missing.headers['content-type'])
      expect(hidden.headers['x-gateway-error']).toBeUndefined()
    },
  )

  it('shows metadata of a topic the caller may use', async () => {
    const res = await send('teamA', { path: '/topics/orders.eu' })
    expect(res.status).toBe(200)
    expect(res.json()).toMatchObject({ name: 'orders.eu' })
  })
})

describe('topics in v2 consumer bodies', () => {
  const instances = { teamA: '/consumers/team-a.g/instances/c-a', auditor: '/consumers/audit.g/instances/c-audit' }
  const lifecycle = (
    method: string,
    suffix: string,
    body?: unknown,
    owner: keyof typeof instances = 'teamA',
  ): Call => ({
    method,
    path: `${instances[owner]}${suffix}`,
    headers: { 'content-type': V2 },
    body,
  })
  const partitions = (topic: string) => ({ partitions: [{ topic, partition: 0 }] })
  const offsets = (topic: string) => ({ offsets: [{ topic, partition: 0, offset: 0 }] })

  beforeAll(async () => {
    for (const owner of ['teamA', 'auditor'] as const) {
      const [, , group, , name] = instances[owner].split('/')
      const created = await send(owner, {
        method: 'POST',
        path: `/consumers/${group}`,
        headers: { 'content-type': V2 },
        body: { name, format: 'binary' },
      })
      expect(created.status).toBe(200)
    }
  })

  it.each([
    ['a subscription', lifecycle('POST', '/subscription', { topics: ['orders.eu', 'payments'] }), 'payments'],
    ['a subscription (key in other case)', lifecycle('POST', '/subscription', { Topics: ['payments'] }), 'payments'],
    ['a topic_pattern subscription', lifecycle('POST', '/subscription', { topic_pattern: 'orders.*' }), '*'],
    ['an assignment', lifecycle('POST', '/assignments', partitions('payments')), 'payments'],
    ['a seek to offsets', lifecycle('POST', '/positions', offsets('payments')), 'payments'],
    [
      'a seek to timestamps',
      lifecycle('POST', '/positions', { timestamps: [{ topic: 'team-b.x', partition: 0, timestamp: 0 }] }),
      'team-b.x',
    ],
    ['a seek to the beginning', lifecycle('POST', '/positions/beginning', partitions('payments')), 'payments'],
    ['a seek to the end', lifecycle('POST', '/positions/end', partitions('team-b.x')), 'team-b.x'],
    ['an offset commit', lifecycle('POST', '/offsets', offsets('payments')), 'payments'],
    ['a committed-offsets query (GET with a body)', lifecycle('GET', '/offsets', partitions('payments')), 'payments'],
  ] as const)('refuses %s naming a forbidden topic, before upstream', async (_case, call, topic) => {
    stack.emulator.clearRequests()
    const res = await send('teamA', call)
    expectForbidden(res, 'consume', topic)
    expect(stack.emulator.requests).toEqual([])
  })

  it.each([
    ['"topics" is not a list', { topics: 'payments' }, '/subscription'],
    ['a topic is not a string', { partitions: [{ topic: 7, partition: 0 }] }, '/assignments'],
    ['an entry is not an object', { offsets: ['payments'] }, '/offsets'],
    ['the body is a list', [{ topic: 'payments' }], '/positions/end'],
  ])('refuses a body whose topics cannot be checked (%s) with 400', async (_case, body, suffix) => {
    stack.emulator.clearRequests()
    const res = await send('teamA', lifecycle('POST', suffix, body))
    expect(res.status, res.body).toBe(400)
    expect(res.json()).toMatchObject({ error: 'BAD_REQUEST' })
    expect(stack.emulator.requests).toEqual([])
  })

  it.each([
    [
      'a subscription to allowed topics',
      'teamA',
      lifecycle('POST', '/subscription', { topics: ['orders.eu', 'shared'] }),
    ],
    [
      'a topic_pattern by a caller who may consume everything',
      'auditor',
      lifecycle('POST', '/subscription', { topic_pattern: '.*' }, 'auditor'),
    ],
    ['an offset commit without a body', 'teamA', lifecycle('POST', '/offsets')],
    ['an offset commit of allowed topics', 'teamA', lifecycle('POST', '/offsets', offsets('orders.eu'))],
    ['a committed-offsets query', 'teamA', lifecycle('GET', '/offsets', partitions('shared'))],
    ['a seek to the beginning', 'teamA', lifecycle('POST', '/positions/beginning', partitions('orders.us'))],
  ] as const)('forwards %s byte-exact', async (_case, caller, call) => {
    stack.emulator.clearRequests()
    const res = await send(caller, call)
    expect(res.headers['x-gateway-error'], res.body).toBeUndefined() // not refused by the gateway, for any reason
    const sent = call.body === undefined ? '' : JSON.stringify(call.body)
    expect(stack.emulator.requests).toHaveLength(1)
    expect(stack.emulator.requests[0]?.bodySha256).toBe(createHash('sha256').update(sent).digest('hex'))
  })
})

describe('no way around the rules', () => {
  it.each([
    ['a percent-encoded topic in the path', produceV2('pay%6Dents'), 403],
    ['a percent-encoded topic in a consume path', simpleConsume('%70ayments'), 403],
    ['an upper-case spelling of an allowed prefix', produceV2('ORDERS.eu'), 403],
  ] as const)('refuses %s before upstream', async (_case, call, status) => {
    stack.emulator.clearRequests()
    const res = await send('teamA', call)
    expect(res.status, res.body).toBe(status)
    expect(stack.emulator.requests).toEqual([])
  })

  it.each([
    ['an escaped key', '{"\\u0074opics":["payments"]}'],
    ['a key in another case', '{"Topics":["payments"]}'],
    ['an escaped topic name', '{"topics":["pay\\u006dents"]}'],
    ['an escaped pattern key', '{"topic\\u005fpattern":"pay.*"}'],
  ])('refuses a subscription with %s before upstream: 403', async (_case, body) => {
    stack.emulator.clearRequests()
    const res = await rawRequest(`${stack.url}/consumers/team-a.g/instances/c-a/subscription`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.teamA}`, 'content-type': V2 },
      body,
    })
    expectRawRefusal(res, 'FORBIDDEN')
    expect(stack.emulator.requests).toEqual([])
  })

  it('refuses a subscription body that names its topics twice (keys differing in case)', async () => {
    stack.emulator.clearRequests()
    const res = await rawRequest(`${stack.url}/consumers/team-a.g/instances/c-a/subscription`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.teamA}`, 'content-type': V2 },
      body: '{"topics":["orders.eu"],"TOPICS":["payments"]}',
    })
    expectRawRefusal(res, 'BAD_REQUEST')
    expect(stack.emulator.requests).toEqual([])
  })
})
