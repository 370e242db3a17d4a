// /healthz, /readyz (background upstream check, drain) and Prometheus /metrics: main port, admin port, per-gateway registry.
import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGateway } from '../../src/gateway.js'
import { serve } from '../../src/process/serve.js'
import { eventually } from '../support/eventually.js'
import { b64, V2_BINARY } from '../support/http.js'
import { rawExchange } from '../support/raw-socket.js'
import { startRedis } from '../support/redis.js'
import { expectRefusal } from '../support/refusal.js'
import { type Stack, startStack } from '../support/stack.js'

let stack: Stack
let token: string

beforeAll(async () => {
  stack = await startStack()
  token = await stack.token('alice')
})
afterAll(() => stack.close())

const metricsText = () => stack.gateway.metrics.metrics()
/** The value of one sample, e.g. sample(text, 'kafka_rest_gateway_requests_total{route="produce",status="200"}'). */
const sample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

describe('metrics', () => {
  it('counts requests, latencies, refusals and auth failures, without topic names or secrets', async () => {
    const produce = () =>
      fetch(`${stack.url}/topics/secret-topic-name`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': V2_BINARY },
        body: JSON.stringify({ records: [{ value: b64('x') }] }),
      })
    expect((await produce()).status).toBe(200)
    expect((await produce()).status).toBe(200)
    await fetch(`${stack.url}/topics`)
    await fetch(`${stack.url}/topics`, { headers: { authorization: `Bearer ${token.slice(0, -4)}AAAA` } })
    await rawExchange(stack.url, `GET http://evil.example/ HTTP/1.1\r\nHost: g\r\n\r\n`)
    await rawExchange(stack.url, `GET / HTTP/1.1\r\nHost: g\r\nX: ${'a'.repeat(20_000)}\r\n\r\n`)

    const text = await metricsText()
    const metric = (series: string) => sample(text, `kafka_rest_gateway_${series}`)
    expect(metric('requests_total{route="produce",status="200"}')).toBe(2)
    expect(metric('requests_total{route="unclassified",status="400"}')).toBe(1)
    expect(metric('request_duration_seconds_count{route="produce"}')).toBe(2)
    expect(metric('upstream_duration_seconds_count{route="produce"}')).toBe(2)
    expect(metric('refusals_total{code="TOKEN_MISSING"}')).toBe(1)
    expect(metric('refusals_total{code="TOKEN_INVALID"}')).toBe(1)
    expect(metric('refusals_total{code="HEADERS_TOO_LARGE"}')).toBe(1) // refused by the parser, before any request
    expect(metric('auth_failures_total{reason="missing"}')).toBe(1)
    expect(metric('auth_failures_total{reason="bad signature"}')).toBe(1)
    expect(metric(`jwks_fetches_total{issuer="${stack.issuer.issuer}",outcome="success"}`)).toBeGreaterThanOrEqual(1)
    expect(metric('rate_limit_decisions_total{decision="allowed"}')).toBe(2)
    expect(metric('rate_limit_decisions_total{decision="limited"}')).toBe(0)
    expect(metric('redis_errors_total')).toBe(0)
    expect(metric('requests_in_flight')).toBe(0)
    expect(metric('ready')).toBe(1)
    expect(text).toContain('process_cpu_user_seconds_total')
    expect(text).toContain('nodejs_eventloop_lag_seconds')
    for (const secret of ['secret-topic-name', token, stack.apiKey]) expect(text).not.toContain(secret)
  })

  it('counts failed JWKS fetches, and is not ready while an issuer has no keys', async () => {
    const keyless = await startStack({
      configure: (input, { issuer }) => ({
        ...input,
        auth: {
          issuers: [{ issuer: issuer.issuer, audience: issuer.audience, jwksUrl: 'http://127.0.0.1:9/jwks.json' }],
        },
      }),
    })
    const text = await keyless.gateway.metrics.metrics()
    const failed = `kafka_rest_gateway_jwks_fetches_total{issuer="${keyless.issuer.issuer}",outcome="failure"}`
    expect(sample(text, failed)).toBeGreaterThanOrEqual(1)
    expect(sample(text, 'kafka_rest_gateway_ready')).toBe(0)
    await keyless.close()
  })

  it('keeps one registry per gateway, so gateways in one process do not mix their counts', async () => {
    const other = createGateway(stack.config)
    expect(await other.metrics.registry()).not.toBe(await stack.gateway.metrics.registry())
    expect(await other.metrics.metrics()).not.toContain('route="produce"')
    await other.close()
  })

  it('does not serve /metrics on the main port unless metrics.onMainPort is set', async () => {
    await expectRefusal(await fetch(`${stack.url}/metrics`), 'TOKEN_MISSING') // an ordinary, authenticated route
    const open = await startStack({ configure: (input) => ({ ...input, metrics: { onMainPort: true } }) })
    const res = await fetch(`${open.url}/metrics`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/plain')
    expect(await res.text()).toContain('kafka_rest_gateway_requests_total')
    await open.close()
  })
})

describe('admin port', () => {
  it('serves /healthz, /readyz and /metrics, 404 for anything else, and 503 on /readyz once draining', async () => {
    const serving = await serve({ ...stack.config, server: { ...stack.config.server, adminPort: 0 } })
    const admin = serving.admin?.url as string
    expect(admin).not.toBe(serving.server.url)
    await eventually(async () => (await fetch(`${admin}/readyz`)).status === 200)
    expect(await (await fetch(`${admin}/healthz`)).json()).toEqual({ status: 'ok' })
    expect(await (await fetch(`${admin}/metrics`)).text()).toContain('kafka_rest_gateway_ready 1')
    const other = await fetch(`${admin}/topics`, { headers: { authorization: `Bearer ${token}` } })
    expect(other.status).toBe(404)
    expect(await other.json()).toMatchObject({ error: 'NOT_FOUND' })

    serving.gateway.drain()
    const readyz = await fetch(`${admin}/readyz`)
    expect(readyz.status).toBe(503)
    expect(await readyz.json()).toMatchObject({ status: 'not ready', reasons: ['gateway: shutting down'] })
    await serving.stop()
  })
})

describe('readiness', () => {
  it('follows the upstream in the background: 503 with the reason while it is down, 200 once it is back', async () => {
    const flaky = await startStack({
      configure: (input) => ({ ...input, upstream: { ...input.upstream, healthCheckIntervalMs: 50 } }),
    })
    expect((await fetch(`${flaky.url}/readyz`)).status).toBe(200)
    const port = Number(new URL(flaky.emulator.url).port)
    await flaky.emulator.close()
    await eventually(async () => (await fetch(`${flaky.url}/readyz`)).status === 503)
    expect(await (await fetch(`${flaky.url}/readyz`)).json()).toMatchObject({
      error_code: 50390,
      reasons: ['upstream: connection refused'],
    })
    expect((await fetch(`${flaky.url}/healthz`)).status).toBe(200) // alive, just not ready

    const back = net.createServer((socket) => socket.destroy())
    await new Promise<void>((resolve) => back.listen(port, '127.0.0.1', resolve))
    await eventually(async () => (await fetch(`${flaky.url}/readyz`)).status === 200)
    back.close()
    await flaky.close()
  })

  it('probes the upstream with a connection only: the REST proxy sees no request', async () => {
    stack.emulator.clearRequests()
    for (let i = 0; i < 5; i++) expect((await fetch(`${stack.url}/readyz`)).status).toBe(200)
    await stack.gateway.warmUp()
    expect(stack.emulator.requests).toEqual([])
  })

  it('includes Redis when requests fail without it (failClosed), and counts its errors', async () => {
    const redis = await startRedis()
    const shared = await startStack({
      configure: (input) => ({ ...input, rateLimit: { redis: { url: redis.url }, onStoreError: 'failClosed' } }),
    })
    await eventually(async () => (await fetch(`${shared.url}/readyz`)).status === 200)
    await redis.stop()
    await eventually(async () => (await fetch(`${shared.url}/readyz`)).status === 503)
    expect(await (await fetch(`${shared.url}/readyz`)).json()).toMatchObject({ reasons: ['redis: not connected'] })
    const refused = await fetch(`${shared.url}/topics`, {
      headers: { authorization: `Bearer ${await shared.token()}` },
    })
    await expectRefusal(refused, 'LIMITS_UNAVAILABLE')
    const text = await shared.gateway.metrics.metrics()
    expect(sample(text, 'kafka_rest_gateway_rate_limit_decisions_total{decision="failed_closed"}')).toBe(1)
    expect(sample(text, 'kafka_rest_gateway_redis_errors_total')).toBeGreaterThanOrEqual(1)
    await shared.close()
    await redis.close()
  })
})
