// Hostile request targets and headers: refused or judged as forwarded, never smuggled past.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { CT, ROUTING_OVERRIDE_HEADERS } from '../support/http.js'
import { sendRaw } from '../support/raw-socket.js'
import { expectRawRefusal } from '../support/refusal.js'
import { type Stack, startStack } from '../support/stack.js'

const { V2A: AVRO, V2B: BINARY } = CT
const AVRO_BODY = '{"value_schema":"\\"string\\"","records":[{"value":"x"}]}'

let stack: Stack
let auth: string

beforeAll(async () => {
  stack = await startStack()
  auth = `Authorization: Bearer ${await stack.token('mallory')}`
})
beforeEach(() => stack.emulator.clearRequests())
afterAll(() => stack.close())

/** Every record the emulator holds, over all topics a trick could have reached. */
const storedAvro = () => ['t', 't;x=1', 'admin', 'T'].flatMap((topic) => stack.emulator.topicRecords(topic))

function produce(target: string, headers: string[] = [`Content-Type: ${AVRO}`], body = AVRO_BODY) {
  return sendRaw(
    stack.url,
    [`POST ${target} HTTP/1.1`, auth, ...headers, `Content-Length: ${body.length}`].join('\r\n'),
    body,
  )
}

describe('encoded paths to a refused route', () => {
  it.each([
    '/topics/t%2Fx',
    '/topics/t%2fpartitions%2F0',
    '/topics/t%5Cx',
    '/topics/./t',
    '/topics/../topics/t',
    '/x/%2e%2e/topics/t',
    '/x/.%2E/topics/t',
    '/topics/%252e%252e/t',
    '/topics/t%2500',
    '//topics/t',
    '/topics//t',
    '/topics/t;x=1',
    '/topics;v=1/t',
    '/topics\\t',
    '/topics/t%00',
    '/topics/t%0d%0aContent-Type:%20application%2Fjson',
    '/topics/t%C0%AE',
    '/topics/t#frag',
    'http://evil.example/topics/t',
    'http://127.0.0.1/topics/t',
    '*',
  ])('refuses POST %s with 400 and sends nothing upstream', async (target) => {
    const res = await produce(target)
    expect(res.status).toBe(400)
    expect(JSON.parse(res.body)).toMatchObject({ error: 'BAD_REQUEST', message: expect.stringContaining('path') })
    expect(stack.emulator.requests).toEqual([])
  })

  it('refuses a target starting with \\, which Node does not parse: 400 from the gateway, nothing upstream', async () => {
    expectRawRefusal(await produce('\\topics\\t'), 'BAD_REQUEST')
    expect(stack.emulator.requests).toEqual([])
  })

  it.each(['/%74opics/t', '/topics/%74', '/topics/t/', '/%74%6F%70%69%63%73/t/', '/TOPICS/t', '/%54opics/t'])(
    'judges %s as the produce route the upstream may see: 415',
    async (target) => {
      const res = await produce(target)
      expectRawRefusal(res, 'FORMAT_NOT_ALLOWED')
      expect(stack.emulator.requests).toEqual([])
    },
  )

  it('forwards a binary produce to /TOPICS/t unchanged: the upstream reads it as it will (404 here)', async () => {
    const res = await produce('/TOPICS/t', [`Content-Type: ${BINARY}`], '{"records":[{"value":"eA=="}]}')
    expect(stack.emulator.requests.map((r) => r.url)).toEqual(['/TOPICS/t'])
    expect([res.status, JSON.parse(res.body)]).toEqual([404, { error_code: 404, message: 'HTTP 404 Not Found' }])
  })

  it('forwards an allowed encoded path exactly as received', async () => {
    const res = await produce('/%74opics/ok', [`Content-Type: ${BINARY}`], '{"records":[{"value":"eA=="}]}')
    expect(res.status).toBe(200)
    expect(stack.emulator.requests.map((r) => r.url)).toEqual(['/%74opics/ok'])
  })
})

describe('non-binary Content-Types in every spelling', () => {
  it.each([
    [['Content-Type: APPLICATION/VND.KAFKA.AVRO.V2+JSON'], 'FORMAT_NOT_ALLOWED'],
    [['Content-Type: application/vnd.kafka.avro.v2+json; charset=utf-8'], 'FORMAT_NOT_ALLOWED'],
    [['Content-Type:   application/vnd.kafka.avro.v2+json  '], 'FORMAT_NOT_ALLOWED'],
    [['Content-Type: application/vnd.kafka.avro.v2+json ;\tx="a;b"'], 'FORMAT_NOT_ALLOWED'],
    [['Content-Type: Application/Vnd.Kafka.Json.V1+Json'], 'FORMAT_NOT_ALLOWED'],
    [['Content-Type: application/vnd.kafka.protobuf.v2+json'], 'FORMAT_NOT_ALLOWED'],
    [['Content-Type: application/vnd.kafka.binary.v2+json, application/vnd.kafka.avro.v2+json'], 'FORMAT_NOT_ALLOWED'],
    [
      ['Content-Type: application/vnd.kafka.avro.v2+json', 'Content-Type: application/vnd.kafka.binary.v2+json'],
      'BAD_REQUEST',
    ],
    [
      ['Content-Type: application/vnd.kafka.binary.v2+json', 'Content-Type: application/vnd.kafka.avro.v2+json'],
      'BAD_REQUEST',
    ],
    // Asking for the Content-Type to be dropped hop-by-hop does not hide it from the policy.
    [['Content-Type: application/vnd.kafka.avro.v2+json', 'Connection: Content-Type'], 'FORMAT_NOT_ALLOWED'],
  ] as const)('refuses %j with %s', async (headers, code) => {
    const res = await produce('/topics/t', [...headers])
    expectRawRefusal(res, code)
    expect(stack.emulator.requests).toEqual([])
    expect(storedAvro()).toEqual([])
  })
})

it('a Connection header naming Content-Type does not strip it: the upstream gets the type the policy judged', async () => {
  const res = await produce('/topics/h4', [`Content-Type: ${BINARY}`, 'Connection: Content-Type'], '{"records":[]}')
  expect(stack.emulator.requests[0]?.headers['content-type']).toBe(BINARY)
  expect(res.status).toBe(422)
})

describe('consumer formats and Accept lists', () => {
  it.each([
    ['{"format":"JSON"}', 'FORMAT_NOT_ALLOWED'],
    ['{"format":"avro"}', 'FORMAT_NOT_ALLOWED'],
    ['{"format":"binary","format":"avro"}', 'BAD_REQUEST'],
    ['{"format":"binary","Format":"avro"}', 'BAD_REQUEST'],
  ] as const)('refuses the chunked consumer body %s with %s', async (body, code) => {
    const chunked = `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`
    const head = ['POST /consumers/g HTTP/1.1', auth, `Content-Type: ${BINARY}`, 'Transfer-Encoding: chunked']
    const res = await sendRaw(stack.url, head.join('\r\n'), chunked)
    expectRawRefusal(res, code)
    expect(stack.emulator.requests).toEqual([])
  })

  it('reads two Accept headers as one list (json preferred: 406)', async () => {
    const head = ['GET /consumers/g/instances/c/records HTTP/1.1', auth, `Accept: ${BINARY};q=0.1`, `Accept: ${AVRO}`]
    const res = await sendRaw(stack.url, head.join('\r\n'))
    expect(res.status).toBe(406)
    expect(JSON.parse(res.body)).toMatchObject({
      error: 'FORMAT_NOT_ACCEPTED',
      message: expect.stringContaining('avro'),
    })
    expect(stack.emulator.requests).toEqual([])
  })

  it('judges a HEAD on a read as the GET it becomes upstream', async () => {
    const res = await sendRaw(
      stack.url,
      ['HEAD /topics/t/partitions/0/messages HTTP/1.1', auth, `Accept: ${AVRO}`].join('\r\n'),
    )
    // A HEAD answer has no body: the status and the gateway's marker say whose refusal it is.
    expect([res.status, res.headers['x-gateway-error']]).toEqual([406, 'FORMAT_NOT_ACCEPTED'])
    expect(stack.emulator.requests).toEqual([])
  })
})

describe('routing overrides and upgrades', () => {
  it('refuses a CONNECT with 405 without reaching upstream', async () => {
    const res = await sendRaw(stack.url, ['CONNECT evil.example:443 HTTP/1.1', auth].join('\r\n'))
    expectRawRefusal(res, 'METHOD_NOT_ALLOWED')
    expect(res.headers.allow).toBe('GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS')
    expect(stack.emulator.requests).toEqual([])
  })

  it('drops method and URL override headers: the upstream sees the judged method and path', async () => {
    const overrides = ['X-HTTP-Method-Override: DELETE', 'X-HTTP-Method: DELETE', 'X-Method-Override: DELETE']
    const rewrites = ['X-Original-URL: /admin/topics', 'X-Rewrite-URL: /admin/topics']
    const res = await sendRaw(stack.url, ['GET /topics HTTP/1.1', auth, ...overrides, ...rewrites].join('\r\n'))
    expect(res.status).toBe(200)
    const [seen] = stack.emulator.requests
    expect(`${seen?.method} ${seen?.url}`).toBe('GET /topics')
    for (const name of ROUTING_OVERRIDE_HEADERS) {
      expect(seen?.headers).not.toHaveProperty(name)
    }
  })

  it.each(['websocket', 'h2c'])(
    'refuses an Upgrade: %s request with 400 without reaching upstream',
    async (protocol) => {
      const head = ['GET /topics HTTP/1.1', auth, `Upgrade: ${protocol}`, 'Connection: Upgrade, HTTP2-Settings']
      const res = await sendRaw(stack.url, head.join('\r\n'))
      expectRawRefusal(res, 'BAD_REQUEST')
      expect(stack.emulator.requests).toEqual([])
    },
  )
})
