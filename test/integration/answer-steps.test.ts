// Answers the gateway reads (consumer creation, filtered topic lists): decoded whatever the upstream's encoding, capped,
// on a deadline; every failure is a Kafka-style 502/504 that the access log records as sent.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import zlib from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { captureLogs, type LogCapture } from '../support/log-capture.js'
import { type Stack, startStack } from '../support/stack.js'

const V2 = 'application/vnd.kafka.v2+json'

interface Answer {
  status: number
  headers: http.IncomingHttpHeaders
  /** The bytes as they came, not decoded. */
  raw: Buffer
  json(): unknown
}

/** node:http, no automatic decoding: what a client that asked for gzip really receives. */
function call(url: string, method: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        const raw = Buffer.concat(chunks)
        resolve({ status: res.statusCode ?? 0, headers: res.headers, raw, json: () => JSON.parse(raw.toString()) })
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

describe('with a compressing emulator (like compression.enable)', () => {
  let stack: Stack
  let token: string

  beforeAll(async () => {
    stack = await startStack({
      emulator: { compress: true },
      configure: (input) => ({
        ...input,
        authz: { enabled: true, rules: [{ subject: 'alice', consume: ['mine.*'] }] },
      }),
    })
    token = await stack.token('alice')
    for (const topic of ['mine.a', 'other.b']) {
      const res = await fetch(`${stack.emulator.url}/topics/${topic}`, {
        method: 'POST',
        headers: { 'x-auth-token': stack.apiKey, 'content-type': 'application/vnd.kafka.binary.v2+json' },
        body: JSON.stringify({ records: [{ value: 'AA==' }] }),
      })
      expect(res.status).toBe(200)
    }
  })
  afterAll(() => stack.close())

  it('the emulator compresses when asked and only then', async () => {
    const asked = await call(`${stack.emulator.url}/topics`, 'GET', {
      'x-auth-token': stack.apiKey,
      'accept-encoding': 'gzip',
    })
    expect(asked.headers['content-encoding']).toBe('gzip')
    expect(JSON.parse(zlib.gunzipSync(asked.raw).toString())).toContain('mine.a')
    const plain = await call(`${stack.emulator.url}/topics`, 'GET', { 'x-auth-token': stack.apiKey })
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.json()).toContain('mine.a')
  })

  it('rewrites base_uri and records the owner although the client accepts gzip; the upstream was asked for identity', async () => {
    stack.emulator.clearRequests()
    const headers = { authorization: `Bearer ${token}`, 'content-type': V2, 'accept-encoding': 'gzip, br' }
    const res = await call(
      `${stack.url}/consumers/g1`,
      'POST',
      headers,
      JSON.stringify({ name: 'c1', format: 'binary' }),
    )
    expect(res.status).toBe(200)
    expect(res.headers['content-encoding']).toBeUndefined()
    expect(res.headers['content-length']).toBe(String(res.raw.length))
    expect(res.json()).toEqual({ instance_id: 'c1', base_uri: `${stack.url}/consumers/g1/instances/c1` })
    expect(stack.emulator.requests.at(-1)?.headers['accept-encoding']).toBe('identity')
    // The owner was recorded from the decoded answer: the creator can use the instance.
    const sub = await call(
      `${stack.url}/consumers/g1/instances/c1/subscription`,
      'POST',
      headers,
      '{"topics":["mine.a"]}',
    )
    expect(sub.status).toBe(204)
  })

  it('filters GET /topics from a readable answer', async () => {
    const res = await call(`${stack.url}/topics`, 'GET', {
      authorization: `Bearer ${token}`,
      'accept-encoding': 'gzip',
    })
    expect(res.status).toBe(200)
    expect(res.headers['content-encoding']).toBeUndefined()
    expect(res.json()).toEqual(['mine.a'])
  })

  it('passes compressed answers it does not read through as they came', async () => {
    const res = await call(`${stack.url}/topics/mine.a`, 'GET', {
      authorization: `Bearer ${token}`,
      'accept-encoding': 'gzip',
    })
    expect(res.status).toBe(200)
    expect(res.headers['content-encoding']).toBe('gzip')
    expect(JSON.parse(zlib.gunzipSync(res.raw).toString())).toMatchObject({ name: 'mine.a' })
  })
})

/** Consumer-create answers shaped by the group name. */
function shapedUpstream(): http.Server {
  const answer = JSON.stringify({ instance_id: 'c1', base_uri: 'http://upstream.invalid/consumers/g/instances/c1' })
  return http.createServer((req, res) => {
    const group = req.url?.split('/')[2]
    const send = (headers: http.OutgoingHttpHeaders, body: Buffer) => {
      res.writeHead(200, { 'content-type': V2, 'content-length': body.length, ...headers })
      res.end(body)
    }
    req.resume()
    req.on('end', () => {
      if (group === 'gzip') return send({ 'content-encoding': 'gzip' }, zlib.gzipSync(answer))
      if (group === 'deflate') return send({ 'content-encoding': 'deflate' }, zlib.deflateSync(answer))
      if (group === 'br') return send({ 'content-encoding': 'br' }, zlib.brotliCompressSync(answer))
      if (group === 'stacked') return send({ 'content-encoding': 'gzip, br' }, Buffer.from(answer))
      if (group === 'broken-gzip') return send({ 'content-encoding': 'gzip' }, Buffer.from('not gzip at all'))
      if (group === 'bomb') return send({ 'content-encoding': 'gzip' }, zlib.gzipSync(Buffer.alloc(5 * 2 ** 20, 32)))
      if (group === 'big') {
        res.writeHead(200, { 'content-type': V2 })
        const chunk = Buffer.alloc(64 * 1024, 32)
        for (let i = 0; i < 80; i++) res.write(chunk)
        return res.end()
      }
      if (group === 'cut') {
        res.writeHead(200, { 'content-type': V2, 'content-length': 1000 })
        res.write(answer.slice(0, 20))
        return setImmediate(() => res.destroy())
      }
      if (group === 'trickle') {
        // One byte at a time, each well within the inactivity timeout, never done within the deadline.
        res.writeHead(200, { 'content-type': V2, 'content-length': 100_000 })
        const drip = setInterval(() => res.write(' '), 20)
        res.once('close', () => clearInterval(drip))
        return
      }
      send({}, Buffer.from(answer))
    })
  })
}

describe('with an upstream whose consumer-create answers misbehave', () => {
  let upstream: http.Server
  let stack: Stack
  let logs: LogCapture
  let headers: Record<string, string>

  beforeAll(async () => {
    upstream = shapedUpstream()
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`
    logs = captureLogs('info')
    stack = await startStack({
      deps: { logger: logs.logger },
      configure: (input) => ({ ...input, upstream: { ...input.upstream, url, timeoutMs: 300 } }),
    })
    headers = { authorization: `Bearer ${await stack.token()}`, 'content-type': V2, 'accept-encoding': 'gzip' }
  })
  afterAll(async () => {
    await stack.close()
    upstream.closeAllConnections()
    await new Promise<void>((resolve) => upstream.close(() => resolve()))
  })

  it.each(['gzip', 'deflate', 'br'])('decodes %s and sends identity bytes', async (group) => {
    const res = await call(`${stack.url}/consumers/${group}`, 'POST', headers, '{}')
    expect(res.status).toBe(200)
    expect(res.headers['content-encoding']).toBeUndefined()
    expect(res.json()).toEqual({ instance_id: 'c1', base_uri: 'http://upstream.invalid/consumers/g/instances/c1' })
  })

  it.each([
    ['stacked', 502, 50201, 'unsupported content encoding'],
    ['broken-gzip', 502, 50201, 'undecodable'],
    ['bomb', 502, 50201, 'more than expected'],
    ['big', 502, 50201, 'more than expected'],
    ['cut', 502, 50201, 'connection reset'],
    ['trickle', 504, 50401, 'did not answer in time'],
  ])('answers %s with %i and a Kafka-style body, logged as sent', async (group, status, errorCode, message) => {
    const res = await call(`${stack.url}/consumers/${group}`, 'POST', headers, '{}')
    expect(res.status).toBe(status)
    const body = res.json() as { error_code: number; message: string }
    expect(body.error_code).toBe(errorCode)
    expect(body.message).toContain(message)
    expect(res.headers['content-length']).toBe(String(res.raw.length))
    const line = logs.accessLine(res.headers['x-request-id'] as string)
    expect(line).toMatchObject({ status, completed: true })
  })
})
