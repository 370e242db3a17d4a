// Pooled upstream connections: an upstream that closes idle connections without a Keep-Alive hint (like Jetty) never
// turns into a 502: the gateway retires idle connections first, and a request caught on a connection the upstream had
// already closed goes again once on a fresh connection when its body can be sent again.
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { closeIdleConnections } from '../../src/emulator/connection-behaviour.js'
import { eventually } from '../support/eventually.js'
import { b64, rawRequest, V1_BINARY, V2 } from '../support/http.js'
import { type Stack, startStack } from '../support/stack.js'

const produce = (value: string) => JSON.stringify({ records: [{ value: b64(value) }] })

describe('behind a Jetty-like emulator (idle connections closed after 40 ms, no hint), pool idle time 60 s', () => {
  let stack: Stack
  let auth: Record<string, string>
  /** Set by a test: runs each time the emulator is about to close an idle connection. */
  let onIdleClose: () => void = () => {}

  beforeAll(async () => {
    stack = await startStack({
      emulator: { idleTimeoutMs: 40, onIdleClose: () => onIdleClose() },
      configure: (input) => ({ ...input, upstream: { ...input.upstream, keepAliveTimeoutMs: 60_000 } }),
    })
    auth = { authorization: `Bearer ${await stack.token()}` }
  })
  afterAll(() => stack.close())

  it('answers 40 requests sent just as the upstream closes the idle connection without a 502', async () => {
    const statuses: number[] = []
    const kinds = [
      () =>
        rawRequest(`${stack.url}/topics/test`, {
          method: 'POST',
          headers: { ...auth, 'content-type': V1_BINARY },
          body: produce('around the idle timeout'),
        }),
      () => rawRequest(`${stack.url}/topics`, { headers: auth }),
    ]
    for (let i = 0; i < 40; i++) {
      // Event-driven timing: the request leaves when the upstream's idle timer fires for the pooled connection that
      // the first request left behind.
      const answered = new Promise<number>((resolve, reject) => {
        onIdleClose = () => {
          onIdleClose = () => {}
          kinds[i % kinds.length]?.().then((res) => resolve(res.status), reject)
        }
      })
      expect((await rawRequest(`${stack.url}/topics`, { headers: auth })).status).toBe(200)
      statuses.push(await answered)
    }
    expect(statuses.filter((status) => status !== 200)).toEqual([])
  })
})

/**
 * A plain upstream that counts who closed each connection: with `idleMs`, it closes idle connections like Jetty (no
 * `Keep-Alive` hint); otherwise Node's own keep-alive of `keepAliveTimeout` (announced in the hint) applies.
 */
async function startCountingUpstream(behaviour: { idleMs?: number; keepAliveTimeout?: number }) {
  const counts = { open: 0, closedByUpstream: 0, closedByGateway: 0 }
  const server = http.createServer({ keepAliveTimeout: behaviour.keepAliveTimeout }, (req, res) => {
    req.resume()
    req.on('end', () => res.writeHead(200, { 'content-type': V2, 'content-length': 2 }).end('[]'))
  })
  if (behaviour.idleMs !== undefined) closeIdleConnections(server, behaviour.idleMs, () => counts.closedByUpstream++)
  server.on('connection', (socket: Socket) => {
    counts.open++
    socket.once('end', () => counts.closedByGateway++)
    socket.once('close', () => counts.open--)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { url, counts, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

describe('upstream.keepAliveTimeoutMs below the upstream idle timeout', () => {
  let upstream: Awaited<ReturnType<typeof startCountingUpstream>>
  let stack: Stack

  beforeAll(async () => {
    upstream = await startCountingUpstream({ idleMs: 5_000 })
    stack = await startStack({
      configure: (input) => ({ ...input, upstream: { ...input.upstream, url: upstream.url, keepAliveTimeoutMs: 30 } }),
    })
  })
  afterAll(async () => {
    await stack.close()
    await upstream.close()
  })

  it('retires idle connections before the upstream does, and the next request gets a new one', async () => {
    const auth = { authorization: `Bearer ${await stack.token()}` }
    for (let i = 0; i < 5; i++) {
      expect((await rawRequest(`${stack.url}/topics`, { headers: auth })).status).toBe(200)
      // Wait for the pooled connection to go away (the readiness probe may hold another one now and then).
      await eventually(() => upstream.counts.open === 0)
    }
    expect(upstream.counts.closedByGateway).toBeGreaterThanOrEqual(5)
    expect(upstream.counts.closedByUpstream).toBe(0)
  })
})

describe('an upstream that announces a shorter keep-alive timeout than upstream.keepAliveTimeoutMs', () => {
  let stack: Stack
  let upstream: Awaited<ReturnType<typeof startCountingUpstream>>

  beforeAll(async () => {
    // Node's own keep-alive: 2 s, announced as `Keep-Alive: timeout=2`; the pool's own limit is a minute.
    upstream = await startCountingUpstream({ keepAliveTimeout: 2_000 })
    const url = upstream.url
    stack = await startStack({
      configure: (input) => ({
        ...input,
        upstream: { ...input.upstream, url, keepAliveTimeoutMs: 60_000, healthCheckIntervalMs: 60_000 },
      }),
    })
  })
  afterAll(async () => {
    await stack.close()
    await upstream.close()
  })

  it('retires the pooled connection a second before the announced timeout, before the upstream closes it', async () => {
    const auth = { authorization: `Bearer ${await stack.token()}` }
    // The readiness probe's own connection comes and goes first.
    await eventually(() => upstream.counts.open === 0)
    upstream.counts.closedByGateway = 0
    expect((await rawRequest(`${stack.url}/topics`, { headers: auth })).status).toBe(200)
    await eventually(() => upstream.counts.open === 0, { timeoutMs: 10_000 })
    // The upstream saw the gateway end the connection (its FIN), not its own idle timer.
    expect(upstream.counts.closedByGateway).toBeGreaterThanOrEqual(1)
  })
})

/**
 * Answers the first request on each connection and destroys the connection on the second one before answering: what
 * a client sees when it writes on a pooled connection the upstream has just closed.
 */
async function startStaleUpstream() {
  const bodies: Buffer[] = []
  let resets = 0
  const server = http.createServer((req, res) => {
    const socket = req.socket as Socket & { served?: number }
    socket.served = (socket.served ?? 0) + 1
    if (socket.served > 1 && req.url !== '/topics/never-reset') {
      resets++
      socket.destroy()
      return
    }
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks))
      res.writeHead(200, { 'content-type': V2, 'content-length': 2 }).end('{}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    bodies,
    resets: () => resets,
    close: () => {
      server.closeAllConnections()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

describe('a request on a pooled connection the upstream already closed', () => {
  let upstream: Awaited<ReturnType<typeof startStaleUpstream>>
  let stack: Stack
  let auth: Record<string, string>

  beforeAll(async () => {
    upstream = await startStaleUpstream()
    stack = await startStack({
      configure: (input) => ({
        ...input,
        upstream: { ...input.upstream, url: upstream.url, keepAliveTimeoutMs: 60_000, healthCheckIntervalMs: 60_000 },
      }),
    })
    auth = { authorization: `Bearer ${await stack.token()}` }
  })
  afterEach(() => {
    upstream.bodies.length = 0
  })
  afterAll(async () => {
    await stack.close()
    await upstream.close()
  })

  /** One request that pools a connection, then the request under test, which goes out on that connection. */
  async function onStaleConnection(options: Parameters<typeof rawRequest>[1]) {
    expect((await rawRequest(`${stack.url}/topics`, { headers: auth })).status).toBe(200)
    const resetsBefore = upstream.resets()
    const res = await rawRequest(`${stack.url}/topics/t`, options)
    expect(upstream.resets()).toBe(resetsBefore + 1)
    return res
  }

  it('sends a bodiless GET again on a fresh connection', async () => {
    const res = await onStaleConnection({ headers: auth })
    expect(res.status).toBe(200)
  })

  it('sends a small streamed produce again, byte-exact, on a fresh connection', async () => {
    const body = produce('sent twice, received once')
    const res = await onStaleConnection({ method: 'POST', headers: { ...auth, 'content-type': V1_BINARY }, body })
    expect(res.status).toBe(200)
    expect(upstream.bodies.at(-1)?.toString()).toBe(body)
  })

  it('does not replay a body too large to keep: 502 with a Kafka-style body', async () => {
    const body = produce('x'.repeat(100 * 1024))
    const res = await onStaleConnection({ method: 'POST', headers: { ...auth, 'content-type': V1_BINARY }, body })
    expect(res.status).toBe(502)
    expect(res.json()).toMatchObject({ error_code: 50201, message: expect.stringContaining('connection reset') })
    expect(upstream.bodies.at(-1)?.toString()).not.toBe(body)
  })

  it('does not replay a chunked body of unknown size', async () => {
    const body = produce('chunked')
    const res = await onStaleConnection({
      method: 'POST',
      headers: { ...auth, 'content-type': V1_BINARY },
      body,
      chunked: true,
    })
    expect(res.status).toBe(502)
    expect(res.json()).toMatchObject({ error_code: 50201 })
  })
})
