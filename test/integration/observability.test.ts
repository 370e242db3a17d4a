// Logs: one allowlisted JSON line per request, request ids and trace context, and no secret in any line of a full scenario.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGateway } from '../../src/gateway.js'
import { listen } from '../../src/process/listen.js'
import { b64, rawRequest, V1_BINARY, V2, V2_BINARY } from '../support/http.js'
import { captureLogs } from '../support/log-capture.js'
import { rawExchange } from '../support/raw-socket.js'
import { type Stack, startStack } from '../support/stack.js'

const logs = captureLogs('trace')
let stack: Stack
let token: string

beforeAll(async () => {
  stack = await startStack({ deps: { logger: logs.logger } })
  token = await stack.token('alice')
})
afterAll(() => stack.close())

const accessLines = () => logs.entries().filter((entry) => entry.msg === 'request')
const lineFor = (requestId: string | null) => accessLines().find((entry) => entry.requestId === requestId)

describe('access log', () => {
  it('writes one line per request with route class, topic, status, subject and durations', async () => {
    const res = await fetch(`${stack.url}/topics/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': V2_BINARY },
      body: JSON.stringify({ records: [{ value: b64('hello') }] }),
    })
    expect(res.status).toBe(200)
    const line = lineFor(res.headers.get('x-request-id'))
    expect(line).toMatchObject({
      level: 30,
      method: 'POST',
      kind: 'produce',
      topic: 'orders',
      status: 200,
      subject: 'alice',
    })
    expect(line?.durationMs).toBeGreaterThan(0)
    expect(line?.upstreamMs).toBeGreaterThan(0)
    expect(line?.upstreamMs as number).toBeLessThanOrEqual(line?.durationMs as number)
    expect(Object.keys(line ?? {})).not.toContain('headers')
  })

  it('logs refusals with their code and no upstream time', async () => {
    const res = await fetch(`${stack.url}/topics`)
    expect(lineFor(res.headers.get('x-request-id'))).toMatchObject({ status: 401, refusal: 'TOKEN_MISSING' })
    expect(lineFor(res.headers.get('x-request-id'))?.upstreamMs).toBeUndefined()
  })

  it('does not log health probes by default', async () => {
    const before = accessLines().length
    for (const path of ['/healthz', '/readyz']) expect((await fetch(`${stack.url}${path}`)).status).toBe(200)
    expect(accessLines()).toHaveLength(before)
  })

  it('logs health probes when log.probes is set', async () => {
    const probeLogs = captureLogs('info')
    const gateway = createGateway(
      { ...stack.config, log: { level: 'info', probes: true } },
      { logger: probeLogs.logger },
    )
    const server = await listen(gateway.handler, stack.config.server)
    await fetch(`${server.url}/healthz`)
    expect(probeLogs.entries().filter((entry) => entry.msg === 'request')).toMatchObject([
      { status: 200, method: 'GET' },
    ])
    await server.close()
    await gateway.close()
  })
})

describe('request ids and trace context', () => {
  it('keeps a well-formed X-Request-Id and returns it', async () => {
    const res = await fetch(`${stack.url}/topics`, { headers: { 'x-request-id': 'client-id_1.2:3' } })
    expect(res.headers.get('x-request-id')).toBe('client-id_1.2:3')
    expect(await res.json()).toMatchObject({ request_id: 'client-id_1.2:3' })
  })

  it.each([
    ['with spaces and quotes', 'a "quoted" id'],
    ['too long', 'x'.repeat(129)],
    ['with a JSON break-out', '"}\\,{"level":60'],
  ])('replaces an X-Request-Id %s with a generated one', async (_name, given) => {
    const res = await fetch(`${stack.url}/topics`, { headers: { 'x-request-id': given } })
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('passes W3C traceparent and tracestate upstream unchanged', async () => {
    stack.emulator.clearRequests()
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'
    const tracestate = 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7'
    await fetch(`${stack.url}/topics`, { headers: { authorization: `Bearer ${token}`, traceparent, tracestate } })
    expect(stack.emulator.requests[0]?.headers).toMatchObject({ traceparent, tracestate })
  })
})

describe('no secret in any log line of a full scenario', () => {
  it('never logs the token, the upstream key, cookies, credentials or payloads', async () => {
    const payload = 'payload-value-that-must-not-be-logged'
    const cookie = 'session-cookie-that-must-not-be-logged'
    const basicPassword = 'basic-password-that-must-not-be-logged'
    const forged = `${token.slice(0, -6)}AAAAAA`
    const bearer = { authorization: `Bearer ${token}` }
    const send = (path: string, init: RequestInit = {}) => fetch(`${stack.url}${path}`, init).then((r) => r.text())

    await send('/topics/secrets', {
      method: 'POST',
      headers: { ...bearer, cookie: `s=${cookie}`, 'content-type': V2_BINARY },
      body: JSON.stringify({ records: [{ key: b64(payload), value: b64(payload) }] }),
    })
    await rawRequest(`${stack.url}/topics/secrets`, {
      method: 'POST',
      headers: { 'x-auth-token': token, 'content-type': V1_BINARY },
      body: JSON.stringify({ records: [{ value: b64(payload) }] }),
      chunked: true,
    })
    await send('/consumers/g', {
      method: 'POST',
      headers: { ...bearer, 'content-type': V2 },
      body: '{"name":"c","format":"binary","auto.offset.reset":"earliest"}',
    })
    const base = '/consumers/g/instances/c'
    await send(`${base}/subscription`, {
      method: 'POST',
      headers: { ...bearer, 'content-type': V2 },
      body: '{"topics":["secrets"]}',
    })
    const consumed = await send(`${base}/records?timeout=100`, { headers: { ...bearer, accept: V2_BINARY } })
    expect(consumed).toContain(b64(payload)) // the payload really passed through the gateway
    await send(base, { method: 'DELETE', headers: { ...bearer, 'content-type': V2 } })
    await send('/topics', { headers: { authorization: `Bearer ${forged}` } })
    await send('/topics', { headers: { authorization: `Basic ${b64(`user:${basicPassword}`)}` } })
    await send('/topics', { headers: { authorization: `Bearer ${token}`, 'x-auth-token': forged } })
    await rawExchange(stack.url, `GET /topics HTTP/1.1\r\nHost: g\r\nAuthorization: Bearer ${token}\r\nX-A: \r\n\r\n`)
    await failUpstream()

    expect(accessLines().length).toBeGreaterThan(10)
    expect(logs.entries().some((entry) => entry.level === 40 && entry.code === 'UPSTREAM_UNAVAILABLE')).toBe(true)
    logs.expectNoSecrets({
      token,
      forged,
      apiKey: stack.apiKey,
      payload,
      payloadBase64: b64(payload),
      cookie,
      basicPassword,
      basicCredential: b64(`user:${basicPassword}`),
    })
  })
})

/** The same logger behind a gateway whose upstream is down: the 502 path logs its cause at error level. */
async function failUpstream() {
  const config = { ...stack.config, upstream: { ...stack.config.upstream, url: 'http://127.0.0.1:9' } }
  const gateway = createGateway(config, { logger: logs.logger })
  const server = await listen(gateway.handler, config.server)
  const res = await fetch(`${server.url}/topics`, { headers: { authorization: `Bearer ${token}`, cookie: 'a=b' } })
  expect(res.status).toBe(502)
  await server.close()
  await gateway.close()
}
