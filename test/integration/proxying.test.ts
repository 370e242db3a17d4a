// The foundation's request path end to end: produce/consume round trips, credential swap, forwarding and upstream failure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { b64, rawRequest, V1_BINARY, V2, V2_BINARY } from '../support/http.js'
import { type Stack, startStack } from '../support/stack.js'

let stack: Stack
let token: string

beforeAll(async () => {
  stack = await startStack()
  token = await stack.token('alice')
})
afterAll(() => stack.close())

const auth = () => ({ authorization: `Bearer ${token}` })

describe('produce and consume through the gateway', () => {
  it('round-trips a v1 binary value byte-exact through the simple consumer', async () => {
    const value = Buffer.from([0, 1, 2, 250, 255, 10, 13]).toString('base64')
    const produced = await fetch(`${stack.url}/topics/roundtrip-v1`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': V1_BINARY },
      body: JSON.stringify({ records: [{ value }] }),
    })
    expect(produced.status).toBe(200)
    const { offsets } = (await produced.json()) as { offsets: Array<{ offset: number; partition: number }> }

    const consumed = await fetch(
      `${stack.url}/topics/roundtrip-v1/partitions/0/messages?offset=${offsets[0]?.offset}`,
      {
        headers: { ...auth(), accept: V1_BINARY },
      },
    )
    expect(consumed.status).toBe(200)
    const records = (await consumed.json()) as Array<{ value: string }>
    expect(records[0]?.value).toBe(value)
  })

  it('runs the v2 consumer lifecycle: create, subscribe, produce, records, delete', async () => {
    const base = `${stack.url}/consumers/group-v2`
    const created = await fetch(base, {
      method: 'POST',
      headers: { ...auth(), 'content-type': V2 },
      body: JSON.stringify({ name: 'c1', format: 'binary', 'auto.offset.reset': 'earliest' }),
    })
    expect(created.status).toBe(200)
    const { base_uri } = (await created.json()) as { base_uri: string }
    expect(base_uri).toBe(`${base}/instances/c1`)

    const subscribed = await fetch(`${base_uri}/subscription`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': V2 },
      body: JSON.stringify({ topics: ['roundtrip-v2'] }),
    })
    expect(subscribed.status).toBe(204)

    const value = b64('v2 value ✓')
    const produced = await fetch(`${stack.url}/topics/roundtrip-v2`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': V2_BINARY },
      body: JSON.stringify({ records: [{ value }] }),
    })
    expect(produced.status).toBe(200)

    const records = await fetch(`${base_uri}/records?timeout=1000`, { headers: { ...auth(), accept: V2_BINARY } })
    expect(records.status).toBe(200)
    expect(((await records.json()) as Array<{ value: string }>).map((r) => r.value)).toEqual([value])

    const deleted = await fetch(base_uri, { method: 'DELETE', headers: { ...auth(), 'content-type': V2 } })
    expect(deleted.status).toBe(204)
  })

  it('forwards GET /topics and GET /brokers', async () => {
    for (const path of ['/topics', '/brokers']) {
      const res = await fetch(`${stack.url}${path}`, { headers: auth() })
      expect(res.status, path).toBe(200)
    }
    const brokers = await fetch(`${stack.url}/brokers`, { headers: auth() })
    expect(await brokers.json()).toHaveProperty('brokers')
  })

  it('passes upstream errors through unchanged', async () => {
    const res = await fetch(`${stack.url}/topics/does-not-exist`, { headers: auth() })
    expect(res.status).toBe(404)
    expect(res.headers.get('x-gateway-error')).toBeNull()
    expect(await res.json()).toMatchObject({ error_code: 40401 })
  })
})

describe('credential swap', () => {
  it('sends the upstream key, and never the client token, Authorization or cookie', async () => {
    stack.emulator.clearRequests()
    await rawRequest(`${stack.url}/topics/swap`, {
      method: 'POST',
      headers: { ...auth(), cookie: 'session=secret-cookie', 'content-type': V1_BINARY },
      body: JSON.stringify({ records: [{ value: b64('x') }] }),
    })
    await rawRequest(`${stack.url}/topics`, { headers: { 'x-auth-token': token } })
    expect(stack.emulator.requests).toHaveLength(2)
    for (const request of stack.emulator.requests) {
      expect(request.headers['x-auth-token']).toBe(stack.apiKey)
      expect(request.headers.authorization).toBeUndefined()
      expect(request.headers.cookie).toBeUndefined()
      expect(JSON.stringify(request.headers)).not.toContain(token)
    }
  })
})

describe('upstream down', () => {
  it('answers 502 with a JSON body naming the refused connection', async () => {
    const down = await startStack()
    const downToken = await down.token()
    await down.emulator.close()
    const res = await fetch(`${down.url}/topics`, { headers: { authorization: `Bearer ${downToken}` } })
    expect(res.status).toBe(502)
    expect(await res.json()).toMatchObject({
      error_code: 50201,
      error: 'UPSTREAM_UNAVAILABLE',
      message: 'The Kafka REST proxy is unavailable: connection refused',
    })
    await down.close()
  })
})
