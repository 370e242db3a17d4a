// The exact requests message-hub-rest@1.2.0 and kafka-rest@0.0.5 send pass the policy, over raw HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { b64, CT, type RawResponse, rawRequest } from '../support/http.js'
import { expectRawRefusal } from '../support/refusal.js'
import { type Stack, startStack } from '../support/stack.js'

const { V1, V1B, V1A } = CT

let stack: Stack
let jwt: string

beforeAll(async () => {
  stack = await startStack()
  jwt = await stack.token('client-shapes')
})
afterAll(() => stack.close())

const records = (response: RawResponse) => response.json<Array<{ value: string }>>().map((r) => r.value)

describe('message-hub-rest@1.2.0: X-Auth-Token carries the JWT, bodies are chunked', () => {
  // lib/messagehub.js: the only headers it can send; never Content-Length.
  const send = (method: string, path: string, headers: Record<string, string>, body?: object) =>
    rawRequest(`${stack.url}${path}`, {
      method,
      headers: { 'x-auth-token': jwt, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      chunked: body !== undefined,
    })

  it('produces, creates a consumer (409 on a repeat), reads by name, and removes it', async () => {
    const produced = await send('POST', '/topics/mhub', { 'content-type': V1B }, { records: [{ value: b64('mh 1') }] })
    expect(produced.status).toBe(200)

    const config = { id: 'mh-1', format: 'binary', 'auto.offset.reset': 'smallest' }
    const created = await send('POST', '/consumers/mhub-group', { 'content-type': V1B }, config)
    expect(created.status).toBe(200)
    expect((await send('POST', '/consumers/mhub-group', { 'content-type': V1B }, config)).status).toBe(409)

    // instance.get builds the path from the names and ignores base_uri.
    const read = await send('GET', '/consumers/mhub-group/instances/mh-1/topics/mhub', { accept: V1B })
    expect(read.status).toBe(200)
    expect(records(read)).toEqual([b64('mh 1')])

    const removed = await send('DELETE', '/consumers/mhub-group/instances/mh-1', { accept: V1B })
    expect(removed.status).toBe(204)
    expect(stack.emulator.requests.every((r) => r.headers['x-auth-token'] === stack.apiKey)).toBe(true)
  })

  it('forwards the admin calls, which are outside the route table', async () => {
    stack.emulator.clearRequests()
    await send('GET', '/admin/topics', {})
    await send('POST', '/admin/topics', { 'content-type': 'application/json' }, { name: 't', partitions: 1 })
    expect(stack.emulator.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /admin/topics',
      'POST /admin/topics',
    ])
  })

  it('cannot create a consumer of another format', async () => {
    stack.emulator.clearRequests()
    const created = await send('POST', '/consumers/mhub-group', { 'content-type': V1B }, { id: 'x', format: 'json' })
    expectRawRefusal(created, 'FORMAT_NOT_ALLOWED')
    expect(stack.emulator.requests).toEqual([])
  })
})

describe('kafka-rest@0.0.5: default Accept list, Authorization from config.headers, body-less join and commit', () => {
  const ACCEPT = `${V1}, application/vnd.kafka+json; q=0.9, application/json; q=0.8`
  const send = (method: string, path: string, headers: Record<string, string> = {}, body?: object) =>
    rawRequest(`${stack.url}${path}`, {
      method,
      headers: {
        'user-agent': 'kafka-rest-node/undefined',
        accept: ACCEPT,
        authorization: `Bearer ${jwt}`,
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })

  it.each(['/brokers', '/topics', '/topics/test', '/topics/test/partitions', '/topics/test/partitions/0'])(
    'reads metadata: GET %s',
    async (path) => {
      expect((await send('GET', path)).status).toBe(200)
    },
  )

  it('produces binary with the un-embedded v1 type, to a topic and to a partition', async () => {
    const toTopic = { records: [{ value: b64('kr 1'), key: null, partition: null }] }
    expect((await send('POST', '/topics/krest', { 'content-type': V1 }, toTopic)).status).toBe(200)
    const toPartition = { records: [{ value: b64('kr 2'), key: b64('k') }] }
    expect((await send('POST', '/topics/krest/partitions/0', { 'content-type': V1 }, toPartition)).status).toBe(200)
  })

  it('reads the simple consumer with the binary Accept and with the default Accept', async () => {
    for (const accept of [V1B, ACCEPT]) {
      const read = await send('GET', '/topics/krest/partitions/0/messages?offset=0&count=2', { accept })
      expect(read.status).toBe(200)
      expect(records(read)).toEqual([b64('kr 1'), b64('kr 2')])
    }
  })

  it('joins without a body, and with options', async () => {
    const bare = await send('POST', '/consumers/krest-bare', { 'content-type': V1 })
    expect(bare.status).toBe(200)
    const opts = await send('POST', '/consumers/krest-opts', { 'content-type': V1 }, { 'auto.offset.reset': 'largest' })
    expect(opts.status).toBe(200)
  })

  it('uses a consumer through the path of the rewritten base_uri: read, commit, shutdown', async () => {
    const joined = await send(
      'POST',
      '/consumers/krest-group',
      { 'content-type': V1 },
      { format: 'binary', 'auto.offset.reset': 'smallest' },
    )
    expect(joined.status).toBe(200)
    const { base_uri } = joined.json<{ base_uri: string }>()
    // The upstream built it from the Host it saw; the client must be sent back to the gateway.
    expect(new URL(base_uri).origin).toBe(stack.url)
    expect(joined.headers['content-length']).toBe(String(Buffer.byteLength(joined.body)))
    const path = new URL(base_uri).pathname

    const read = await send('GET', `${path}/topics/krest`, { accept: V1B })
    expect(read.status).toBe(200)
    expect(records(read)).toEqual([b64('kr 1'), b64('kr 2')])
    const committed = await send('POST', `${path}/offsets`, { 'content-type': V1 })
    expect(committed.status).toBe(200)
    expect(committed.json()).toEqual([expect.objectContaining({ topic: 'krest', consumed: 1 })])
    expect((await send('DELETE', path)).status).toBe(204)
  })

  it('cannot produce Avro', async () => {
    stack.emulator.clearRequests()
    const avro = { value_schema: '"string"', records: [{ value: 'x' }] }
    const refused = await send('POST', '/topics/krest', { 'content-type': V1A }, avro)
    expect(refused.status).toBe(415)
    expect(refused.json()).toMatchObject({ error: 'FORMAT_NOT_ALLOWED', message: expect.stringContaining('avro') })
    expect(stack.emulator.requests).toEqual([])
  })
})
