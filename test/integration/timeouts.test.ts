// Timeouts and failure mapping: upstream refused/reset → 502, slow → 504, killed mid-response → aborted answer;
// slow clients (slowloris headers, trickled uploads) are cut off; a client that goes away aborts its upstream request.
// No assertion times the machine: each case asserts which timer fired (the answer names it) and what it did upstream.
import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually } from '../support/eventually.js'
import { type FaultUpstream, startFaultUpstream } from '../support/fault-upstream.js'
import { openSocket, rawExchange } from '../support/raw-socket.js'
import { type Stack, startStack } from '../support/stack.js'

let upstream: FaultUpstream
let stack: Stack
let auth: { authorization: string }

beforeAll(async () => {
  upstream = await startFaultUpstream()
  stack = await startStack({
    configure: (input) => ({
      ...input,
      server: { ...input.server, headersTimeoutMs: 300, requestTimeoutMs: 600 },
      upstream: { ...input.upstream, url: upstream.url, timeoutMs: 400 },
    }),
  })
  auth = { authorization: `Bearer ${await stack.token()}` }
})
afterAll(async () => {
  await stack.close()
  await upstream.close()
})

describe('upstream failures', () => {
  it('answers 504 with a JSON body when the upstream sends no answer within upstream.timeoutMs', async () => {
    const res = await fetch(`${stack.url}/hang/slow`, { headers: auth })
    expect(res.status).toBe(504)
    expect(await res.json()).toMatchObject({
      error_code: 50401,
      error: 'UPSTREAM_TIMEOUT',
      message: 'The Kafka REST proxy did not answer in time: no answer within upstream.timeoutMs',
    })
    await eventually(() => upstream.open() === 0) // the upstream request was abandoned, not left open
  })

  it('answers 502 naming a reset when the upstream drops the connection before answering', async () => {
    const res = await fetch(`${stack.url}/reset`, { headers: auth })
    expect(res.status).toBe(502)
    expect(await res.json()).toMatchObject({
      error: 'UPSTREAM_UNAVAILABLE',
      message: 'The Kafka REST proxy is unavailable: connection reset',
    })
  })

  it('cuts the client answer when the upstream dies mid-response, and keeps serving', async () => {
    const res = await fetch(`${stack.url}/cut`, { headers: auth })
    expect(res.status).toBe(200)
    await expect(res.arrayBuffer()).rejects.toThrow()
    const next = await fetch(`${stack.url}/ok`, { headers: auth })
    expect(next.status).toBe(200)
  })

  it('answers 504 at upstream.connectTimeoutMs when the connection (TLS handshake) never completes', async () => {
    const silent = net.createServer(() => {}) // accepts TCP, never speaks TLS
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const port = (silent.address() as net.AddressInfo).port
    const blackhole = await startStack({
      configure: (input) => ({
        ...input,
        upstream: { ...input.upstream, url: `https://127.0.0.1:${port}`, connectTimeoutMs: 200, timeoutMs: 10_000 },
      }),
    })
    const res = await fetch(`${blackhole.url}/topics`, {
      headers: { authorization: `Bearer ${await blackhole.token()}` },
    })
    // The message names the connect timer (200 ms), not the response timer (10 s): the handshake wait was cut short.
    expect(res.status).toBe(504)
    expect(await res.json()).toMatchObject({
      error: 'UPSTREAM_TIMEOUT',
      message: 'The Kafka REST proxy did not answer in time: no connection within upstream.connectTimeoutMs',
    })
    await blackhole.close()
    silent.close()
  })
})

describe('slow clients', () => {
  it('cuts a slowloris client off at the header timeout with 408, while others are served', async () => {
    const socket = await openSocket(stack.url)
    socket.write('GET /topics HTTP/1.1\r\nHost: gateway\r\nX-Slow: ')
    const trickle = setInterval(() => socket.write('a'), 50) // the attack itself: one byte every 50 ms
    const answer: Buffer[] = []
    socket.on('data', (chunk: Buffer) => answer.push(chunk))
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()))
    const other = await fetch(`${stack.url}/ok`, { headers: auth })
    expect(other.status).toBe(200)
    // The client never stops sending, so only the gateway's header timeout can end this connection.
    await closed
    clearInterval(trickle)
    expect(Buffer.concat(answer).toString()).toMatch(/^HTTP\/1\.1 408 [\s\S]*"error":"REQUEST_TIMEOUT"/)
  })

  it('cuts a slow upload off at the request timeout and aborts the upstream request', async () => {
    const socket = await openSocket(stack.url)
    socket.resume()
    socket.write(
      `POST /upload HTTP/1.1\r\nHost: gateway\r\nAuthorization: ${auth.authorization}\r\nContent-Length: 1000\r\n\r\n`,
    )
    const trickle = setInterval(() => socket.write('x'), 50)
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()))
    await eventually(() => upstream.seen.some((seen) => seen.url === '/upload'))
    await closed
    clearInterval(trickle)
    await eventually(() => upstream.seen.find((seen) => seen.url === '/upload')?.aborted === true)
  })
})

describe('a client that goes away aborts its upstream request', () => {
  // A long upstream timeout, so only the client's going away can end these upstream requests within the test.
  let patient: Stack
  let patientAuth: string
  beforeAll(async () => {
    patient = await startStack({
      configure: (input) => ({ ...input, upstream: { ...input.upstream, url: upstream.url, timeoutMs: 60_000 } }),
    })
    patientAuth = `Bearer ${await patient.token()}`
  })
  afterAll(() => patient.close())

  it.each([
    ['while the upstream has not answered yet', '/hang/abort', 'GET', ''],
    ['mid-download', '/drip/abort', 'GET', ''],
    ['mid-upload', '/upload/abort', 'POST', 'Content-Length: 1000000\r\n'],
  ])('%s', async (_name, path, method, headers) => {
    const socket = await openSocket(patient.url)
    socket.on('error', () => {})
    socket.write(`${method} ${path} HTTP/1.1\r\nHost: gateway\r\nAuthorization: ${patientAuth}\r\n${headers}\r\n`)
    if (method === 'POST') socket.write(Buffer.alloc(64 * 1024, 1))
    await eventually(() => upstream.seen.some((seen) => seen.url === path))
    if (path.startsWith('/drip')) await new Promise((resolve) => socket.once('data', resolve))
    socket.destroy()
    await eventually(() => upstream.seen.find((seen) => seen.url === path)?.aborted === true, { timeoutMs: 2_000 })
  })

  it('keeps serving after aborted requests', async () => {
    const request = `GET /ok HTTP/1.1\r\nHost: g\r\nAuthorization: ${patientAuth}\r\nConnection: close\r\n\r\n`
    expect((await rawExchange(patient.url, request)).status).toBe(200)
  })
})
