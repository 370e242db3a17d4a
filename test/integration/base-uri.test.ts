// base_uri and Location point clients back at the gateway (v1 and v2), with a correct Content-Length.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { gunzipSync, gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rawRequest } from '../support/http.js'
import { type Stack, startStack } from '../support/stack.js'

const PUBLIC = 'https://kafka.example.com/gw'

describe('with the emulator upstream and server.publicUrl set', () => {
  let stack: Stack
  let auth: Record<string, string>

  beforeAll(async () => {
    stack = await startStack({ configure: (input) => ({ ...input, server: { ...input.server, publicUrl: PUBLIC } }) })
    auth = { authorization: `Bearer ${await stack.token()}` }
  })
  afterAll(() => stack.close())

  it.each([
    ['v1', 'application/vnd.kafka.v1+json'],
    ['v2', 'application/vnd.kafka.v2+json'],
  ])('rewrites the %s base_uri to the public URL, keeping the path', async (version, contentType) => {
    const res = await rawRequest(`${stack.url}/consumers/base-${version}`, {
      method: 'POST',
      // A spoofed forwarded host must not change the answer: base_uri comes from server.publicUrl only.
      headers: { ...auth, 'content-type': contentType, 'x-forwarded-host': 'evil.example' },
      body: JSON.stringify({ name: 'c1', format: 'binary' }),
    })
    expect(res.status).toBe(200)
    expect(res.json()).toEqual({ instance_id: 'c1', base_uri: `${PUBLIC}/consumers/base-${version}/instances/c1` })
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.body)))
    expect(res.body).not.toContain(new URL(stack.emulator.url).host)
  })
})

describe('with an upstream that sends Location headers and extra fields', () => {
  let upstream: http.Server
  let upstreamUrl: string
  let stack: Stack
  let auth: Record<string, string>

  beforeAll(async () => {
    upstream = http.createServer((req, res) => {
      const origin = `http://${req.headers.host}`
      if (req.url === '/consumers/g') {
        // Chunked (no Content-Length), pretty-printed, with a field the gateway must keep.
        res.writeHead(200, { 'content-type': 'application/vnd.kafka.v2+json', location: `${origin}/consumers/g/x` })
        res.write('{\n  "instance_id": "c1",\n  "base_uri": ')
        res.end(`"${origin}/consumers/g/instances/c1?x=1",\n  "extra": "é"\n}`)
        return
      }
      if (req.url === '/consumers/foreign') {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end('{"instance_id":"c1","base_uri":"http://elsewhere.example:8082/consumers/foreign/instances/c1"}')
        return
      }
      res.writeHead(201, { location: `${origin}/admin/topics/t`, 'content-length': '0' })
      res.end()
    })
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`
    stack = await startStack({
      configure: (input) => ({
        ...input,
        server: { ...input.server, publicUrl: PUBLIC },
        upstream: { ...input.upstream, url: upstreamUrl },
      }),
    })
    auth = { authorization: `Bearer ${await stack.token()}`, 'content-type': 'application/vnd.kafka.v2+json' }
  })
  afterAll(async () => {
    await stack.close()
    await new Promise<void>((resolve) => upstream.close(() => resolve()))
  })

  it('rewrites base_uri and Location, keeps the other fields, and sends the right Content-Length', async () => {
    const res = await rawRequest(`${stack.url}/consumers/g`, { method: 'POST', headers: auth, body: '{}' })
    expect(res.status).toBe(200)
    expect(res.json()).toEqual({ instance_id: 'c1', base_uri: `${PUBLIC}/consumers/g/instances/c1?x=1`, extra: 'é' })
    expect(res.headers.location).toBe(`${PUBLIC}/consumers/g/x`)
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.body)))
    expect(res.headers['transfer-encoding']).toBeUndefined()
  })

  it('leaves a base_uri on another origin alone', async () => {
    const res = await rawRequest(`${stack.url}/consumers/foreign`, { method: 'POST', headers: auth, body: '{}' })
    expect(res.json()).toMatchObject({ base_uri: 'http://elsewhere.example:8082/consumers/foreign/instances/c1' })
  })

  it('rewrites Location on other answers too', async () => {
    const res = await rawRequest(`${stack.url}/admin/topics`, { method: 'POST', headers: auth, body: '{}' })
    expect(res.status).toBe(201)
    expect(res.headers.location).toBe(`${PUBLIC}/admin/topics/t`)
  })
})

describe('with an upstream that compresses its answers, as Confluent rest-utils does by default', () => {
  let upstream: http.Server
  let stack: Stack
  const seen: string[] = []

  beforeAll(async () => {
    upstream = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`)
      const origin = `http://${req.headers.host}`
      const body =
        req.method === 'POST'
          ? JSON.stringify({ instance_id: 'c1', base_uri: `${origin}/consumers/g/instances/c1` })
          : JSON.stringify([])
      const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))
      const bytes = gzip ? gzipSync(body) : Buffer.from(body)
      res.writeHead(200, {
        'content-type': 'application/vnd.kafka.v2+json',
        'content-length': bytes.length,
        ...(gzip ? { 'content-encoding': 'gzip', vary: 'Accept-Encoding' } : {}),
      })
      res.end(bytes)
    })
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`
    stack = await startStack({ configure: (input) => ({ ...input, upstream: { ...input.upstream, url } }) })
  })
  afterAll(async () => {
    await stack.close()
    await new Promise<void>((resolve) => upstream.close(() => resolve()))
  })

  // A browser sends `Accept-Encoding: gzip`; an upstream that compresses would hide the create answer from the gateway
  // (base_uri not rewritten, no owner recorded) unless answers the gateway reads arrive in a known encoding.
  it('rewrites base_uri and records the owner when the client accepts gzip', async () => {
    const headers = {
      authorization: `Bearer ${await stack.token()}`,
      'content-type': 'application/vnd.kafka.v2+json',
      'accept-encoding': 'gzip',
    }
    const res = await new Promise<{ status?: number; encoding?: string; bytes: Buffer }>((resolve, reject) => {
      const req = http.request(`${stack.url}/consumers/g`, { method: 'POST', headers, agent: false }, (answer) => {
        const chunks: Buffer[] = []
        answer.on('data', (chunk: Buffer) => chunks.push(chunk))
        answer.on('end', () => {
          const encoding = answer.headers['content-encoding']
          resolve({ status: answer.statusCode, encoding, bytes: Buffer.concat(chunks) })
        })
      })
      req.on('error', reject)
      req.end('{}')
    })
    expect(res.status).toBe(200)
    const text = (res.encoding === 'gzip' ? gunzipSync(res.bytes) : res.bytes).toString()
    expect(JSON.parse(text)).toEqual({ instance_id: 'c1', base_uri: `${stack.url}/consumers/g/instances/c1` })
    const read = await rawRequest(`${stack.url}/consumers/g/instances/c1/records`, { headers })
    expect(read.status).toBe(200)
    expect(seen).toEqual(['POST /consumers/g', 'GET /consumers/g/instances/c1/records'])
  })
})
