// Prometheus metrics of one gateway instance, on its own registry (several gateways can share a process).
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import type { GatewayError } from '../errors/gateway-error.js'

export interface GatewayMetrics {
  readonly registry: Registry
  requestStarted(): void
  /** `upstreamSeconds` is the time to the upstream's response headers, when the request reached it. */
  requestFinished(route: string, status: number, seconds: number, upstreamSeconds: number | undefined): void
  /** Every refusal or failure answered by the gateway, by catalogue code; authentication ones also by reason. */
  refused(error: GatewayError): void
  rateLimitDecision(decision: 'allowed' | 'limited' | 'store-error'): void
  jwksFetch(issuer: string, outcome: 'success' | 'failure'): void
  redisError(): void
}

const PREFIX = 'kafka_rest_gateway_'
/** Authentication refusals and their reason when the error carries none (reasons are fixed phrases, never input). */
const AUTH_FAILURES: Readonly<Record<string, string>> = {
  TOKEN_MISSING: 'missing',
  TOKEN_CONFLICT: 'conflict',
  TOKEN_INVALID: 'invalid',
  TOKEN_IN_URL: 'token in url',
  KEYS_UNAVAILABLE: 'keys unavailable',
}
/** Seconds; consume long polls land in the upper buckets, produce and metadata in the lower ones. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

interface RequestSeries {
  count: Counter.Internal
  duration: Histogram.Internal<string>
  upstream: Histogram.Internal<string>
}

export function createMetrics(isReady: () => boolean): GatewayMetrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const registers = [registry]
  const requests = new Counter({
    name: `${PREFIX}requests_total`,
    help: 'Requests answered, by route class and status',
    labelNames: ['route', 'status'],
    registers,
  })
  const duration = new Histogram({
    name: `${PREFIX}request_duration_seconds`,
    help: 'Time from the request to the end of the response, by route class',
    labelNames: ['route'],
    buckets: LATENCY_BUCKETS,
    registers,
  })
  const upstream = new Histogram({
    name: `${PREFIX}upstream_duration_seconds`,
    help: 'Time from sending the request upstream to the upstream response headers, by route class',
    labelNames: ['route'],
    buckets: LATENCY_BUCKETS,
    registers,
  })
  const inFlight = new Gauge({ name: `${PREFIX}requests_in_flight`, help: 'Requests being handled', registers })
  const refusals = counter('refusals_total', 'Requests refused or failed by the gateway, by error code', ['code'])
  const authFailures = counter('auth_failures_total', 'Authentication refusals, by reason', ['reason'])
  const rateLimit = counter('rate_limit_decisions_total', 'Rate-limit decisions', ['decision'])
  const jwks = counter('jwks_fetches_total', 'JWKS fetches, by issuer and outcome', ['issuer', 'outcome'])
  const redisErrors = counter('redis_errors_total', 'Failed Redis operations', [])
  new Gauge({
    name: `${PREFIX}ready`,
    help: '1 when /readyz answers 200',
    registers,
    collect() {
      this.set(isReady() ? 1 : 0)
    },
  })

  function counter(name: string, help: string, labelNames: string[]): Counter {
    return new Counter({ name: `${PREFIX}${name}`, help, labelNames, registers })
  }

  // Label children are looked up once per (route, status): prom-client would hash the labels on every call.
  const series = new Map<string, RequestSeries>()
  function seriesOf(route: string, status: number): RequestSeries {
    const key = `${route} ${status}`
    let found = series.get(key)
    if (!found) {
      found = {
        count: requests.labels(route, String(status)),
        duration: duration.labels(route),
        upstream: upstream.labels(route),
      }
      series.set(key, found)
    }
    return found
  }

  return {
    registry,
    requestStarted: () => inFlight.inc(),
    requestFinished(route, status, seconds, upstreamSeconds) {
      inFlight.dec()
      const found = seriesOf(route, status)
      found.count.inc()
      found.duration.observe(seconds)
      if (upstreamSeconds !== undefined) found.upstream.observe(upstreamSeconds)
    },
    refused(error) {
      refusals.labels(error.code).inc()
      const authFailure = AUTH_FAILURES[error.code]
      if (authFailure) authFailures.labels(error.reason ?? authFailure).inc()
    },
    rateLimitDecision: (decision) => rateLimit.labels(decision).inc(),
    jwksFetch: (issuer, outcome) => jwks.labels(issuer, outcome).inc(),
    redisError: () => redisErrors.inc(),
  }
}
