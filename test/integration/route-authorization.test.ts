// Two tenants against the whole route table with topic permissions on: the v3 admin API, v3 consumer groups, routes the
// table does not know, TRACE and mixed-case route words. Every case checks what the client got and what reached upstream.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { b64, type RawResponse, rawRequest, V2_BINARY } from '../support/http.js'
import { type Stack, seedTopics, startStack } from '../support/stack.js'

let stack: Stack
const tokens: Record<string, string> = {}
const EXISTING = ['team-a.orders', 'team-a.audit', 'team-b.orders', 'shared']
const C = '/v3/clusters/emulator'

beforeAll(async () => {
  stack = await startStack({
    configure: (input) => ({
      ...input,
      auth: { ...input.auth, issuers: input.auth.issuers.map((issuer) => ({ ...issuer, tenantClaim: 'tenant' })) },
      authz: {
        enabled: true,
        rules: [
          { tenant: 'team-a', produce: ['team-a.*'], consume: ['team-a.*'], admin: ['team-a.*'] },
          { tenant: 'team-b', produce: ['team-b.*'], consume: ['team-b.*', 'shared'] },
          { subject: 'operator', admin: ['*'] },
        ],
        consumers: { groupPrefix: 'tenant' },
      },
    }),
  })
  await seedTopics(stack, EXISTING)
  tokens.alice = await stack.token('alice', { tenant: 'team-a' })
  tokens.bob = await stack.token('bob', { tenant: 'team-b' })
  tokens.operator = await stack.token('operator')
})
afterAll(() => stack.close())
beforeEach(() => stack.emulator.clearRequests())

type Caller = 'alice' | 'bob' | 'operator'

function send(caller: Caller | undefined, method: string, path: string, body?: unknown): Promise<RawResponse> {
  const headers: Record<string, string> = caller ? { authorization: `Bearer ${tokens[caller]}` } : {}
  if (body !== undefined) headers['content-type'] = 'application/json'
  return rawRequest(`${stack.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

interface TopicList {
  kind: string
  data: Array<{ topic_name: string }>
}
const topicNames = (res: RawResponse) =>
  res
    .json<TopicList>()
    .data.map((topic) => topic.topic_name)
    .sort()
const messageOf = (res: RawResponse) => res.json<{ message: string }>().message

const upstreamSaw = () => stack.emulator.requests.map((request) => `${request.method} ${request.url}`)

function expectRefused(res: RawResponse, status: number, error: string, errorCode: number) {
  expect(res.status, res.body).toBe(status)
  expect(res.json()).toMatchObject({ error_code: errorCode, error })
  expect(res.headers['x-gateway-error']).toBe(error)
  expect(upstreamSaw()).toEqual([])
}

describe('v3 topics', () => {
  it('lists only the topics the caller may use, from the upstream answer', async () => {
    const alice = await send('alice', 'GET', `${C}/topics`)
    expect(alice.status).toBe(200)
    expect(topicNames(alice)).toEqual(['team-a.audit', 'team-a.orders'])
    expect(alice.json<TopicList>().kind).toBe('KafkaTopicList')
    expect(Number(alice.headers['content-length'])).toBe(Buffer.byteLength(alice.body))
    const bob = await send('bob', 'GET', `${C}/topics`)
    expect(topicNames(bob)).toEqual(['shared', 'team-b.orders'])
    expect(upstreamSaw()).toEqual([`GET ${C}/topics`, `GET ${C}/topics`])
  })

  it.each([
    ['GET', '/topics/team-b.orders'],
    ['GET', '/topics/team-b.orders/configs'],
    ['GET', '/topics/team-b.orders/configs/cleanup.policy'],
    ['GET', '/topics/team-b.orders/partitions/0/replicas'],
  ])('refuses %s <cluster>%s of the other tenant’s topic with 403, for both v3 prefixes', async (method, path) => {
    for (const prefix of [C, `/kafka${C}`]) {
      const res = await send('alice', method, `${prefix}${path}`)
      expectRefused(res, 403, 'FORBIDDEN', 40390)
      expect(messageOf(res)).toContain('"team-b.orders"')
    }
  })

  it('answers the caller’s own topic from upstream', async () => {
    const res = await send('alice', 'GET', `${C}/topics/team-a.orders`)
    expect(res.status).toBe(200)
    expect(res.json()).toMatchObject({ topic_name: 'team-a.orders' })
    expect(upstreamSaw()).toEqual([`GET ${C}/topics/team-a.orders`])
  })

  it('creates a topic only where the caller may administer, reading the name from the body', async () => {
    const refused = await send('alice', 'POST', `${C}/topics`, { topic_name: 'team-b.new', partitions_count: 1 })
    expectRefused(refused, 403, 'FORBIDDEN', 40390)
    expect(refused.headers['www-authenticate']).toContain('scope="kafka:admin:team-b.new"')
    // Bob may produce to and consume from team-b.*, but administers nothing.
    expectRefused(await send('bob', 'POST', `${C}/topics`, { topic_name: 'team-b.new' }), 403, 'FORBIDDEN', 40390)
    expectRefused(await send('alice', 'POST', `${C}/topics`, { partitions_count: 1 }), 400, 'BAD_REQUEST', 40090)
    expectRefused(await send('alice', 'POST', `${C}/topics`), 400, 'BAD_REQUEST', 40090)

    const created = await send('alice', 'POST', `${C}/topics`, { topic_name: 'team-a.new', partitions_count: 1 })
    expect(created.status, created.body).toBe(201)
    expect(upstreamSaw()).toEqual([`POST ${C}/topics`])
    expect(stack.emulator.requests[0]?.body?.toString()).toBe('{"topic_name":"team-a.new","partitions_count":1}')
  })

  it.each([
    ['an escaped key', '{"\\u0074opic_name":"team-b.new"}', 403],
    ['a key in another case', '{"Topic_Name":"team-b.new"}', 403],
    ['an escaped name', '{"topic_name":"team-b.\\u006eew"}', 403],
    ['the key twice', '{"topic_name":"team-a.new","topic_name":"team-b.new"}', 400],
    ['the key twice, in two cases', '{"topic_name":"team-a.new","TOPIC_NAME":"team-b.new"}', 400],
    ['two bodies in one', '{"topic_name":"team-a.new"} {"topic_name":"team-b.new"}', 400],
    ['a list of names', '{"topic_name":["team-a.new","team-b.new"]}', 400],
    ['a list of bodies', '[{"topic_name":"team-a.new"}]', 400],
  ] as const)('refuses a v3 topic creation with %s before upstream', async (_case, body, status) => {
    const res = await rawRequest(`${stack.url}${C}/topics`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.alice}`, 'content-type': 'application/json' },
      body,
    })
    expectRefused(res, status, status === 403 ? 'FORBIDDEN' : 'BAD_REQUEST', status === 403 ? 40390 : 40090)
  })

  it.each([
    ['DELETE', '/topics/team-b.orders', undefined],
    ['PATCH', '/topics/team-b.orders', { partitions_count: 3 }],
    ['POST', '/topics/team-b.orders/configs:alter', { data: [{ name: 'retention.ms', value: '1' }] }],
    ['PUT', '/topics/team-b.orders/configs/retention.ms', { value: '1' }],
    ['DELETE', '/topics/team-b.orders/configs/retention.ms', undefined],
  ])('refuses %s <cluster>%s by a caller who does not administer the topic', async (method, path, body) => {
    for (const caller of ['alice', 'bob'] as const) {
      const res = await send(caller, method, `${C}${path}`, body)
      expectRefused(res, 403, 'FORBIDDEN', 40390)
      expect(res.headers['www-authenticate']).toContain('scope="kafka:admin:team-b.orders"')
    }
  })

  it('forwards administration of the caller’s own topic', async () => {
    await send('alice', 'DELETE', `${C}/topics/team-a.audit`)
    await send('alice', 'PUT', `${C}/topics/team-a.audit/configs/retention.ms`, { value: '1' })
    expect(upstreamSaw()).toEqual([
      `DELETE ${C}/topics/team-a.audit`,
      `PUT ${C}/topics/team-a.audit/configs/retention.ms`,
    ])
  })
})

describe('cluster administration and v3 consumer groups', () => {
  it.each([
    ['GET', '/acls'],
    ['POST', '/acls'],
    ['DELETE', '/acls?resource_type=TOPIC'],
    ['POST', '/acls:batch'],
    ['POST', '/broker-configs:alter'],
    ['PUT', '/brokers/1/configs/log.retention.ms'],
  ])('refuses %s <cluster>%s unless the caller administers every topic', async (method, path) => {
    const res = await send('alice', method, `${C}${path}`, method === 'POST' ? {} : undefined)
    expectRefused(res, 403, 'FORBIDDEN', 40390)
    expect(res.headers['www-authenticate']).toContain('scope="kafka:admin:*"')
    await send('operator', method, `${C}${path}`, method === 'POST' ? {} : undefined)
    expect(upstreamSaw()).toEqual([`${method} ${C}${path}`])
  })

  it('forwards cluster and broker metadata, which names no topic', async () => {
    const res = await send('alice', 'GET', '/v3/clusters')
    expect(res.status).toBe(200)
    await send('alice', 'GET', `${C}/brokers/1/configs`)
    expect(upstreamSaw()).toEqual(['GET /v3/clusters', `GET ${C}/brokers/1/configs`])
  })

  it.each([
    '/consumer-groups/team-b.g',
    '/consumer-groups/team-b.g/consumers',
    '/consumer-groups/team-b.g/lag-summary',
    '/consumer-groups/team-b.g/lags',
    '/consumer-groups/team-b.g/consumers/c-1/assignments',
  ])('refuses GET <cluster>%s of another tenant’s group', async (path) => {
    const res = await send('alice', 'GET', `${C}${path}`)
    expectRefused(res, 403, 'FORBIDDEN', 40390)
    expect(messageOf(res)).toContain('"team-b.g"')
  })

  it('forwards the caller’s own group, but not a lag of a topic it may not see', async () => {
    await send('alice', 'GET', `${C}/consumer-groups/team-a.g/lag-summary`)
    expect(upstreamSaw()).toEqual([`GET ${C}/consumer-groups/team-a.g/lag-summary`])
    stack.emulator.clearRequests()
    const res = await send('alice', 'GET', `${C}/consumer-groups/team-a.g/lags/team-b.orders/partitions/0`)
    expectRefused(res, 403, 'FORBIDDEN', 40390)
  })

  it('holds even the operator to tenant group prefixes (the consumer stage applies them to every route naming a group)', async () => {
    const res = await send('operator', 'GET', `${C}/consumer-groups/team-b.g`)
    expectRefused(res, 403, 'FORBIDDEN', 40390)
    expect(messageOf(res)).toContain('no tenant')
  })
})

describe('fail closed: routes outside the table', () => {
  it.each([
    ['GET', '/admin/topics'],
    ['PUT', '/topics/team-a.orders'],
    ['GET', `${C}/links`],
    ['GET', `${C}/topics/team-a.orders/default-configs`],
    ['POST', `${C}/brokers:delete`],
    ['OPTIONS', '/topics'],
    ['POST', '/admin/topics'],
    ['DELETE', '/admin/topics/team-a.orders'],
    ['PATCH', '/topics/team-a.orders'],
    ['GET', '/consumers/team-a.g/instances/c-1'],
    ['PUT', '/consumers/team-a.g/instances/c-1/subscription'],
    ['OPTIONS', '/consumers/team-a.g/instances/c-1/records'],
    ['POST', `/kafka${C}/topics/team-a.orders/records:produce`],
    ['GET', '/v2/topics'],
  ])('refuses %s %s with 403 ROUTE_UNKNOWN, even for the operator', async (method, path) => {
    for (const caller of ['alice', 'operator'] as const) {
      const res = await send(caller, method, path)
      expectRefused(res, 403, 'ROUTE_UNKNOWN', 40393)
      expect(messageOf(res)).toContain(`"${method} ${path}"`)
    }
  })
})

describe('TRACE, TRACK and CONNECT', () => {
  it.each([undefined, 'alice'] as const)(
    'refuses TRACE with 405 before authentication (caller: %s)',
    async (caller) => {
      const res = await send(caller, 'TRACE', '/topics/team-a.orders')
      expectRefused(res, 405, 'METHOD_NOT_ALLOWED', 40590)
      expect(res.headers.allow).toBe('GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS')
      expect(res.headers['www-authenticate']).toBeUndefined()
    },
  )
})

describe('route words without regard to case', () => {
  it('authorizes /TOPICS/t like /topics/t', async () => {
    const produce = { records: [{ value: b64('v') }] }
    const res = await rawRequest(`${stack.url}/TOPICS/team-b.orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.alice}`, 'content-type': V2_BINARY },
      body: JSON.stringify(produce),
    })
    expectRefused(res, 403, 'FORBIDDEN', 40390)
    expectRefused(await send('alice', 'GET', `/V3/Clusters/emulator/Topics/team-b.orders`), 403, 'FORBIDDEN', 40390)
  })

  it('applies the format policy to /Topics/t with a JSON embedded format', async () => {
    const res = await rawRequest(`${stack.url}/Topics/team-a.orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.alice}`, 'content-type': 'application/vnd.kafka.json.v2+json' },
      body: JSON.stringify({ records: [{ value: { a: 1 } }] }),
    })
    expectRefused(res, 415, 'FORMAT_NOT_ALLOWED', 41501)
  })
})

describe('a v3 lag summary names the topic with the most lag', () => {
  // The emulator has no v3 consumer groups: this upstream answers a lag summary as Confluent's REST proxy shapes it.
  let upstream: http.Server
  let gateway: Stack
  const seen: string[] = []
  let maxLagTopic = 'team-b.orders'
  const summary = (origin: string) => ({
    kind: 'KafkaConsumerGroupLagSummary',
    metadata: { self: `${origin}${C}/consumer-groups/team-a.g/lag-summary` },
    cluster_id: 'emulator',
    consumer_group_id: 'team-a.g',
    max_lag_consumer_id: 'consumer-1',
    max_lag_client_id: 'client-1',
    max_lag_topic_name: maxLagTopic,
    max_lag_partition_id: 0,
    max_lag: 100,
    total_lag: 110,
    max_lag_consumer: { related: `${origin}${C}/consumer-groups/team-a.g/consumers/consumer-1` },
    max_lag_partition: { related: `${origin}${C}/topics/${maxLagTopic}/partitions/0` },
  })
  beforeAll(async () => {
    upstream = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`)
      const body = JSON.stringify(summary(`http://${req.headers.host}`))
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
      res.end(body)
    })
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`
    gateway = await startStack({
      configure: (input) => ({
        ...input,
        upstream: { ...input.upstream, url },
        auth: { ...input.auth, issuers: input.auth.issuers.map((issuer) => ({ ...issuer, tenantClaim: 'tenant' })) },
        authz: {
          enabled: true,
          rules: [{ tenant: 'team-a', consume: ['team-a.*'] }],
          consumers: { groupPrefix: 'tenant' },
        },
      }),
    })
  })
  afterAll(async () => {
    await gateway.close()
    await new Promise((resolve) => upstream.close(resolve))
  })
  beforeEach(() => {
    seen.length = 0
  })

  const summaryOf = async () => {
    const token = await gateway.token('alice', { tenant: 'team-a' })
    return rawRequest(`${gateway.url}${C}/consumer-groups/team-a.g/lag-summary`, {
      headers: { authorization: `Bearer ${token}` },
    })
  }

  it('does not reveal a topic the caller may not see: its name and partition link are left out', async () => {
    maxLagTopic = 'team-b.orders'
    const res = await summaryOf()
    expect(res.status).toBe(200)
    expect(res.body).not.toContain('team-b.orders')
    expect(res.json()).toMatchObject({ consumer_group_id: 'team-a.g', max_lag: 100, total_lag: 110 })
    expect(seen).toEqual([`GET ${C}/consumer-groups/team-a.g/lag-summary`])
  })

  it('passes the summary unchanged when the caller may see that topic', async () => {
    maxLagTopic = 'team-a.orders'
    const res = await summaryOf()
    expect(res.json()).toMatchObject({ max_lag_topic_name: 'team-a.orders', max_lag_partition_id: 0 })
    expect(res.json<{ max_lag_partition: { related: string } }>().max_lag_partition.related).toContain(
      '/topics/team-a.orders/partitions/0',
    )
    expect(seen).toEqual([`GET ${C}/consumer-groups/team-a.g/lag-summary`])
  })
})
