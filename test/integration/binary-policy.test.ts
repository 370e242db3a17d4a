// The binary-only policy against the spec's route × Content-Type × Accept matrix (v1, v2, v3), over real HTTP.
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { b64, CT, rawRequest } from '../support/http.js'
import { type Stack, startStack } from '../support/stack.js'

type Name = keyof typeof CT | 'none'

// The produce Content-Types the upstream reads as binary; everything else is refused with 415.
const BINARY_PRODUCE: Record<'topic' | 'partition', Name[]> = {
  topic: ['none', 'V1B', 'V1', 'KJ', 'J', 'OS', 'V2B', 'V2'],
  partition: ['none', 'V1B', 'V1', 'KJ', 'J', 'OS', 'V2B'],
}
const ALL_TYPES = ['none', ...Object.keys(CT)] as Name[]

// The Accept values that select the binary read method; the rest select another format or none (406).
const READS = {
  'simple-consume': { path: '/topics/test/partitions/0/messages?offset=0', version: 'v1' },
  'consume-v1': { path: '/consumers/policy-v1/instances/c1/topics/test', version: 'v1' },
  'consume-v2': { path: '/consumers/policy-v2/instances/c1/records?timeout=0', version: 'v2' },
} as const
const KAFKA_REST_DEFAULT = `${CT.V1}, ${CT.KJ}; q=0.9, ${CT.J}; q=0.8`
const ACCEPTS: Array<[label: string, value: string | undefined, binaryOn: Array<'v1' | 'v2'>]> = [
  ['none', undefined, ['v1', 'v2']],
  ['*/*', '*/*', ['v1', 'v2']],
  ['application/*', 'application/*', ['v1', 'v2']],
  ['V1B', CT.V1B, ['v1']],
  ['V1', CT.V1, ['v1']],
  ['KJ', CT.KJ, ['v1']],
  ['J', CT.J, ['v1']],
  ['kafka-rest default', KAFKA_REST_DEFAULT, ['v1']],
  ['V2B', CT.V2B, ['v2']],
  ['V2', CT.V2, ['v2']],
  ['V1J', CT.V1J, []],
  ['V1A', CT.V1A, []],
  ['V2J', CT.V2J, []],
  ['V2A', CT.V2A, []],
  ['V2JS', CT.V2JS, []],
  ['V2P', CT.V2P, []],
  ['text/plain', CT.TEXT, []],
  ['json preferred by q', `${CT.V1J};q=0.9, ${CT.V2J};q=0.9, */*;q=0.5`, []],
  ['binary by server weight', `${CT.V1J}, ${CT.V1B}, ${CT.V2J}, ${CT.V2B}`, ['v1', 'v2']],
]

let stack: Stack
let auth: Record<string, string>

beforeAll(async () => {
  // Some instances here are never created (`policy-gone`): this file judges the policy, not consumer ownership.
  stack = await startStack({ configure: (input) => ({ ...input, authz: { consumers: { ownership: false } } }) })
  auth = { authorization: `Bearer ${await stack.token('alice')}` }
  // Binary consumers for the instance reads; they answer at once instead of long-polling.
  const create = (group: string, contentType: string) =>
    rawRequest(`${stack.url}/consumers/${group}`, {
      method: 'POST',
      headers: { ...auth, 'content-type': contentType },
      body: JSON.stringify({ name: 'c1', format: 'binary', 'consumer.request.timeout.ms': 0 }),
    })
  expect((await create('policy-v1', CT.V1)).status).toBe(200)
  expect((await create('policy-v2', CT.V2)).status).toBe(200)
  const subscribed = await rawRequest(`${stack.url}/consumers/policy-v2/instances/c1/subscription`, {
    method: 'POST',
    headers: { ...auth, 'content-type': CT.V2 },
    body: JSON.stringify({ topics: ['test'] }),
  })
  expect(subscribed.status).toBe(204)
})
beforeEach(() => stack.emulator.clearRequests())
afterAll(() => stack.close())

async function send(method: string, path: string, headers: Record<string, string | undefined>, body?: string) {
  const defined: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) defined[name] = value
  const res = await rawRequest(`${stack.url}${path}`, { method, headers: { ...auth, ...defined }, body })
  return {
    status: res.status,
    body: res.body ? res.json<Record<string, unknown>>() : {},
    upstream: stack.emulator.requests,
  }
}

type Sent = Awaited<ReturnType<typeof send>>

function expectForwarded(sent: Sent, method: string, path: string, status = 200) {
  expect(sent.upstream.map((r) => `${r.method} ${r.url}`)).toEqual([`${method} ${path}`])
  expect(sent.status).toBe(status)
}

function expectRefused(sent: Sent, status: number, error: string, mention: string) {
  expect(sent.status).toBe(status)
  expect(sent.body).toMatchObject({ error, error_code: expect.any(Number), message: expect.stringContaining(mention) })
  expect(sent.upstream).toEqual([])
}

describe('produce: the Content-Type decides (v1 and v2)', () => {
  const records = JSON.stringify({ records: [{ value: b64('matrix') }] })
  const cases = (['topic', 'partition'] as const).flatMap((route) =>
    ALL_TYPES.map((type) => ({ route, type, binary: BINARY_PRODUCE[route].includes(type) })),
  )

  it.each(cases)('POST to a $route with Content-Type $type: binary=$binary', async ({ route, type, binary }) => {
    const path = route === 'topic' ? '/topics/matrix' : '/topics/test/partitions/0'
    const sent = await send('POST', path, { 'content-type': type === 'none' ? undefined : CT[type] }, records)
    if (binary) expectForwarded(sent, 'POST', path)
    else expectRefused(sent, 415, 'FORMAT_NOT_ALLOWED', CT.V1B)
  })
})

describe('consume: the Accept header decides (v1 simple consumer, v1 and v2 instances)', () => {
  const cases = Object.entries(READS).flatMap(([route, { path, version }]) =>
    ACCEPTS.map(([label, accept, binaryOn]) => ({ route, path, label, accept, binary: binaryOn.includes(version) })),
  )

  it.each(cases)('GET $route with Accept $label: binary=$binary', async ({ path, accept, binary }) => {
    const sent = await send('GET', path, { accept })
    if (binary) expectForwarded(sent, 'GET', path)
    else expectRefused(sent, 406, 'FORMAT_NOT_ACCEPTED', 'only binary can be consumed')
  })
})

describe('consumer creation: the body format decides, whatever the Content-Type', () => {
  const allowed = [undefined, '', 'null', '{}', '{"format":"binary"}', '{"format":"BINARY"}', '{"FORMAT":"Binary"}']
  const allowedCases = [CT.V1, CT.V1B, CT.V1A, CT.KJ, CT.J, CT.V2, CT.V2B, CT.V2J, undefined].flatMap((contentType) =>
    allowed.map((body) => ({ contentType, body })),
  )

  it.each(allowedCases)('creates with Content-Type $contentType and body $body', async ({ contentType, body }) => {
    const sent = await send('POST', '/consumers/policy-create', { 'content-type': contentType }, body)
    expectForwarded(sent, 'POST', '/consumers/policy-create')
  })

  it.each([
    ['{"format":"json"}', 415, 'FORMAT_NOT_ALLOWED'],
    ['{"format":"JSON"}', 415, 'FORMAT_NOT_ALLOWED'],
    ['{"format":"avro","name":"x"}', 415, 'FORMAT_NOT_ALLOWED'],
    ['{"format":"jsonschema"}', 415, 'FORMAT_NOT_ALLOWED'],
    ['{"format":"protobuf"}', 415, 'FORMAT_NOT_ALLOWED'],
    ['{"Format":"avro"}', 415, 'FORMAT_NOT_ALLOWED'],
    ['{"format":1}', 415, 'FORMAT_NOT_ALLOWED'],
    ['{"format":"binary "}', 415, 'FORMAT_NOT_ALLOWED'],
    ['{"format":"binary","format":"avro"}', 400, 'BAD_REQUEST'],
    ['{"format":"avro","FORMAT":"binary"}', 400, 'BAD_REQUEST'],
    ['{"format":"binary"', 400, 'BAD_REQUEST'],
    ['[{"format":"avro"}]', 400, 'BAD_REQUEST'],
    ['"binary"', 400, 'BAD_REQUEST'],
  ])('refuses the body %s with %i', async (body, status, error) => {
    for (const contentType of [CT.V1, CT.V2]) {
      stack.emulator.clearRequests()
      const sent = await send('POST', '/consumers/policy-create', { 'content-type': contentType }, body)
      expectRefused(sent, status, error, '')
    }
  })

  it('refuses a body over policy.maxJsonBody with 413, before upstream', async () => {
    const body = JSON.stringify({ format: 'binary', name: 'x'.repeat(70 * 1024) })
    expectRefused(
      await send('POST', '/consumers/big', { 'content-type': CT.V2 }, body),
      413,
      'PAYLOAD_TOO_LARGE',
      '65536',
    )
  })
})

describe('v3 produce: every record key and value must be BINARY', () => {
  const data = { type: 'BINARY', data: b64('v3') }
  const path = '/v3/clusters/emulator/topics/test/records'
  const one = (record: object) => JSON.stringify(record)

  it.each([
    ['binary key and value', one({ key: data, value: data })],
    ['only a value', one({ value: data })],
    ['a null key', one({ key: null, value: { type: 'binary', data: b64('x') } })],
    ['no key nor value', one({ partition_id: 0 })],
  ])('forwards a record with %s', async (_label, body) => {
    expectForwarded(await send('POST', path, { 'content-type': CT.J }, body), 'POST', path)
  })

  it.each([
    ['an AVRO value', one({ value: { type: 'AVRO', data: { a: 1 }, schema_id: 1 } })],
    ['a JSON key', one({ key: { type: 'JSON', data: 1 }, value: data })],
    ['a STRING value', one({ value: { type: 'STRING', data: 'x' } })],
    ['a JSONSCHEMA value', one({ value: { type: 'JSONSCHEMA', data: {} } })],
    ['a PROTOBUF value', one({ value: { type: 'PROTOBUF', data: {} } })],
    ['a value without type', one({ value: { data: b64('x'), subject: 's' } })],
    ['a non-binary second record in a stream', `${one({ value: data })}\n${one({ value: { type: 'AVRO' } })}`],
    ['an array-wrapped AVRO record', `[${one({ value: data })},${one({ value: { type: 'AVRO' } })}]`],
  ])('refuses %s with 415', async (_label, body) => {
    expectRefused(await send('POST', path, { 'content-type': CT.J }, body), 415, 'FORMAT_NOT_ALLOWED', 'BINARY')
  })

  it('forwards a stream of binary records (the emulator itself takes one record per request)', async () => {
    const body = `${one({ value: data })}\n${one({ key: data })}`
    expectForwarded(await send('POST', path, { 'content-type': CT.J }, body), 'POST', path, 400)
  })

  it('checks records:batch entries the same way (forwarded when all are binary)', async () => {
    const batch = `${path}:batch`
    const good = JSON.stringify({
      entries: [
        { id: '1', value: data },
        { id: '2', key: data },
      ],
    })
    expectForwarded(await send('POST', batch, { 'content-type': CT.J }, good), 'POST', batch, 404)
    stack.emulator.clearRequests()
    const bad = JSON.stringify({
      entries: [
        { id: '1', value: data },
        { id: '2', value: { type: 'JSON', data: 1 } },
      ],
    })
    expectRefused(await send('POST', batch, { 'content-type': CT.J }, bad), 415, 'FORMAT_NOT_ALLOWED', 'record 1')
  })
})

describe('routes without a format rule', () => {
  it('stream a GET with a body (v2 committed offsets) through untouched', async () => {
    const path = '/consumers/policy-v2/instances/c1/offsets'
    const body = JSON.stringify({ partitions: [{ topic: 'test', partition: 0 }] })
    const sent = await send('GET', path, { 'content-type': CT.V2 }, body)
    expectForwarded(sent, 'GET', path)
    expect(sent.upstream[0]?.body?.toString()).toBe(body)
    // Without its body the proxy would answer 404/40402.
    expect(sent.body).toEqual({ offsets: expect.any(Array) })
  })

  it.each([
    ['POST', '/consumers/policy-v2/instances/c1/positions/beginning', CT.V2J],
    ['DELETE', '/consumers/policy-gone/instances/c1', CT.V2A],
    ['GET', '/topics/test', CT.V2P],
  ])('%s %s passes whatever Content-Type or Accept it carries', async (method, path, type) => {
    const body = method === 'POST' ? JSON.stringify({ partitions: [{ topic: 'test', partition: 0 }] }) : undefined
    const sent = await send(method, path, { 'content-type': type, accept: type }, body)
    expect(sent.upstream.map((r) => `${r.method} ${r.url}`)).toEqual([`${method} ${path}`])
  })
})

describe('bodies the gateway read reach upstream byte-identical', () => {
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

  it.each([
    { upload: 'Content-Length', chunked: false, path: '/consumers/hash-cl' },
    { upload: 'chunked', chunked: true, path: '/consumers/hash-chunked' },
    { upload: 'chunked v3', chunked: true, path: '/v3/clusters/emulator/topics/test/records' },
  ])('with a $upload upload', async ({ chunked, path }) => {
    const body = path.startsWith('/v3')
      ? ' { "value" : { "type" : "BINARY" , "data" : "aGk=" } ,"key":{"type":"bin\\u0061ry","data":"eQ=="}}\n'
      : '{ "name" : "h\\u00e9",\n  "format":"bin\\u0061ry" ,"auto.offset.reset":"earliest" }\n'
    const res = await rawRequest(`${stack.url}${path}`, {
      method: 'POST',
      headers: { ...auth, 'content-type': path.startsWith('/v3') ? CT.J : CT.V2 },
      body,
      chunked,
    })
    expect(res.status).toBe(200)
    const [seen] = stack.emulator.requests
    expect(seen?.bodySha256).toBe(sha256(body))
    expect(seen?.headers['transfer-encoding']).toBe(chunked ? 'chunked' : undefined)
  })
})
