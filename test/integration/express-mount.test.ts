// The gateway as a middleware inside the user's own Express app (5 and 4), at a path, directly or through a Router:
// every URL it builds (consumer base_uri, Location) leads back through the host app, unless server.publicUrl is set.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import express4 from 'express4'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGateway, type Gateway } from '../../src/gateway.js'
import type { Handler } from '../../src/pipeline.js'
import { listen, type RunningServer } from '../../src/process/listen.js'
import { V2, V2_BINARY } from '../support/http.js'
import { expectRefusal } from '../support/refusal.js'
import { type Stack, startStack } from '../support/stack.js'

let stack: Stack
let gateway: Gateway
let token: string

beforeAll(async () => {
  stack = await startStack()
  gateway = createGateway({ ...stack.config, server: { ...stack.config.server, publicUrl: undefined } })
  await gateway.warmUp()
  token = await stack.token()
})
afterAll(async () => {
  await gateway.close()
  await stack.close()
})

/** The user's app: its own route, the gateway at /kafka, and again inside a Router mounted at /api/:version. */
function hostApp(expressOf: typeof express, handler: Handler) {
  const app = expressOf()
  app.get('/hello', (_req, res) => {
    res.json({ hello: 'world' })
  })
  app.use('/kafka', handler)
  const api = expressOf.Router()
  api.use('/kafka', handler)
  app.use('/api/:version', api)
  return app
}

const send = (url: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
  fetch(url, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } })

describe.each([
  ['Express 5', express],
  ['Express 4', express4],
])('mounted in %s', (name, expressOf) => {
  let app: RunningServer

  beforeAll(async () => {
    app = await listen(hostApp(expressOf, gateway.handler), { host: '127.0.0.1', port: 0 })
  })
  afterAll(() => app.close())

  it('serves the host app its own routes and proxies /kafka/* with the prefix removed', async () => {
    expect(await (await fetch(`${app.url}/hello`)).json()).toEqual({ hello: 'world' })
    stack.emulator.clearRequests()
    const res = await send(`${app.url}/kafka/brokers`)
    expect(res.status).toBe(200)
    expect(stack.emulator.requests.map((r) => r.url)).toEqual(['/brokers'])
  })

  it('refuses a request without a token with its own 401, and nothing reaches the REST proxy', async () => {
    stack.emulator.clearRequests()
    const res = await fetch(`${app.url}/kafka/topics`)
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="kafka-rest-gateway"')
    await expectRefusal(res, 'TOKEN_MISSING')
    expect(stack.emulator.requests).toEqual([])
  })

  it.each([
    ['app.use', '/kafka'],
    ['a Router under a path parameter', '/api/v2/kafka'],
  ])('runs a whole v2 consumer flow by following base_uri (%s at %s)', async (_how, mount) => {
    const group = `mount-${name.replace(' ', '')}-${mount.split('/').join('')}`
    const topic = `${group}-topic`
    const gatewayUrl = `${app.url}${mount}`
    stack.emulator.clearRequests()

    const created = await send(`${gatewayUrl}/consumers/${group}`, {
      method: 'POST',
      headers: { 'content-type': V2 },
      body: JSON.stringify({ name: 'c1', format: 'binary', 'auto.offset.reset': 'earliest' }),
    })
    expect(created.status).toBe(200)
    const { base_uri: baseUri } = (await created.json()) as { base_uri: string }
    expect(baseUri).toBe(`${gatewayUrl}/consumers/${group}/instances/c1`)

    const subscribed = await send(`${baseUri}/subscription`, {
      method: 'POST',
      headers: { 'content-type': V2 },
      body: JSON.stringify({ topics: [topic] }),
    })
    expect(subscribed.status).toBe(204)

    const produced = await send(`${gatewayUrl}/topics/${topic}`, {
      method: 'POST',
      headers: { 'content-type': V2_BINARY },
      body: JSON.stringify({ records: [{ value: Buffer.from('through the host app').toString('base64') }] }),
    })
    expect(produced.status).toBe(200)

    const read = await send(`${baseUri}/records`, { headers: { accept: V2_BINARY } })
    expect(read.status).toBe(200)
    const records = (await read.json()) as Array<{ topic: string; value: string }>
    expect(records.map((r) => [r.topic, Buffer.from(r.value, 'base64').toString()])).toEqual([
      [topic, 'through the host app'],
    ])

    const deleted = await send(baseUri, { method: 'DELETE', headers: { 'content-type': V2 } })
    expect(deleted.status).toBe(204)
    const gone = await send(`${baseUri}/records`, { headers: { accept: V2_BINARY } })
    expect(gone.status).toBe(404)
    expect(await gone.json()).toMatchObject({ error_code: 40403 })

    // The REST proxy saw the paths without the mount prefix (the gateway itself knows the deleted instance is gone).
    const instance = `/consumers/${group}/instances/c1`
    expect(stack.emulator.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `POST /consumers/${group}`,
      `POST ${instance}/subscription`,
      `POST /topics/${topic}`,
      `GET ${instance}/records`,
      `DELETE ${instance}`,
    ])
  })
})

describe.each([
  ['Express 5', express],
  ['Express 4', express4],
])('mounted in %s after a body parser', (_name, expressOf) => {
  let app: RunningServer

  beforeAll(async () => {
    const parsing = expressOf()
    parsing.use(expressOf.json())
    parsing.use('/kafka', gateway.handler)
    app = await listen(parsing, { host: '127.0.0.1', port: 0 })
  })
  afterAll(() => app.close())

  it('answers a request whose body the parser read with a 500 naming the cause, at once, and forwards nothing', async () => {
    stack.emulator.clearRequests()
    const res = await send(`${app.url}/kafka/v3/clusters/cluster-1/topics/parsed/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ value: { type: 'BINARY', data: Buffer.from('x').toString('base64') } }),
    })
    expect(res.status).toBe(500)
    expect(await res.json()).toMatchObject({
      error_code: 50090,
      message: expect.stringContaining('mount the gateway before body-parsing middleware'),
    })
    expect(stack.emulator.requests).toEqual([])
  })

  it('forwards the bodies the parser left alone (Kafka media types) as usual', async () => {
    const res = await send(`${app.url}/kafka/topics/parsed`, {
      method: 'POST',
      headers: { 'content-type': V2_BINARY },
      body: JSON.stringify({ records: [{ value: Buffer.from('x').toString('base64') }] }),
    })
    expect(res.status).toBe(200)
  })
})

describe('with server.publicUrl set', () => {
  const PUBLIC = 'https://kafka.example.com/gw'
  let configured: Gateway
  let app: RunningServer

  beforeAll(async () => {
    configured = createGateway({ ...stack.config, server: { ...stack.config.server, publicUrl: PUBLIC } })
    await configured.warmUp()
    app = await listen(hostApp(express, configured.handler), { host: '127.0.0.1', port: 0 })
  })
  afterAll(async () => {
    await app.close()
    await configured.close()
  })

  it('uses the public URL as it is, without the mount path (a proxy in front may have rewritten the path)', async () => {
    const res = await send(`${app.url}/api/v2/kafka/consumers/mount-public`, {
      method: 'POST',
      headers: { 'content-type': V2 },
      body: JSON.stringify({ name: 'c1', format: 'binary' }),
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ instance_id: 'c1', base_uri: `${PUBLIC}/consumers/mount-public/instances/c1` })
  })
})

describe('with an upstream that answers with a Location header', () => {
  let upstream: http.Server
  let withLocation: Gateway
  let app: RunningServer

  beforeAll(async () => {
    upstream = http.createServer((req, res) => {
      res.writeHead(201, { location: `http://${req.headers.host}/admin/topics/t`, 'content-length': '0' })
      res.end()
    })
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
    const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`
    withLocation = createGateway({
      ...stack.config,
      server: { ...stack.config.server, publicUrl: undefined },
      upstream: { ...stack.config.upstream, url: upstreamUrl },
    })
    await withLocation.warmUp()
    app = await listen(hostApp(express4, withLocation.handler), { host: '127.0.0.1', port: 0 })
  })
  afterAll(async () => {
    await app.close()
    await withLocation.close()
    await new Promise<void>((resolve) => upstream.close(() => resolve()))
  })

  it('points Location back through the mount path', async () => {
    const res = await send(`${app.url}/api/v3/kafka/topics`, { headers: { accept: V2 } })
    expect(res.status).toBe(201)
    expect(res.headers.get('location')).toBe(`${app.url}/api/v3/kafka/admin/topics/t`)
  })
})
