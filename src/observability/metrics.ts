// Prometheus metrics of one gateway instance, on its own registry (several gateways can share a process).
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import type { GatewayError } from '../errors/gateway-error.js'
import type { LimitStats } from '../ratelimit/limit-stats.js'

export interface GatewayMetrics {
  readonly registry: Registry
  requestStarted(): void
  /** `upstreamSeconds` is the time to the upstream's response headers, when the request reached it. */
  requestFinished(route: string, status: number, seconds: number, upstreamSeconds: number | undefined): void
  /** Every refusal or failure answered by the gateway, by catalogue code; authentication ones also by reason. */
  refused(error: GatewayError): void
  jwksFetch(issuer: string, outcome: 'success' | 'failure'): void
  /** Where the `ready` gauge reads readiness when scraped (readiness is assembled from parts that report here). */
  watchReadiness(isReady: () => boolean): void
}

/** What the metrics read when scraped. */
export interface MetricSources {
  limitStats(): Readonly<LimitStats>
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

export function createMetrics(sources: MetricSources): GatewayMetrics {
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
  // Plain numbers on the hot path; the gauges read them when scraped.
  const live = { inFlight: 0, isReady: () => false }
  new Gauge({
    name: `${PREFIX}requests_in_flight`,
    help: 'Requests being handled',
    registers,
    collect() {
      this.set(live.inFlight)
    },
  })
  const refusals = counter('refusals_total', 'Requests refused or failed by the gateway, by error code', ['code'])
  const authFailures = counter('auth_failures_total', 'Authentication refusals, by reason', ['reason'])
  const jwks = counter('jwks_fetches_total', 'JWKS fetches, by issuer and outcome', ['issuer', 'outcome'])
  scraped(sources, live, registers)

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
    requestStarted: () => {
      live.inFlight++
    },
    requestFinished(route, status, seconds, upstreamSeconds) {
      live.inFlight--
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
    jwksFetch: (issuer, outcome) => jwks.labels(issuer, outcome).inc(),
    watchReadiness: (isReady) => {
      live.isReady = isReady
    },
  }
}

/** The rate limiter's own counters (plain numbers it keeps anyway), by the label each gets here. */
const DECISIONS = {
  allowed: 'allowed',
  limited: 'limited',
  pre_auth_limited: 'preAuthLimited',
  too_large: 'tooLarge',
  failed_open: 'failedOpen',
  failed_closed: 'failedClosed',
} as const satisfies Record<string, keyof LimitStats>

/** Metrics read from other parts at scrape time: nothing is added to their hot paths. */
function scraped(sources: MetricSources, live: { isReady(): boolean }, registers: Registry[]): void {
  new Gauge({
    name: `${PREFIX}ready`,
    help: '1 when /readyz answers 200',
    registers,
    collect() {
      this.set(live.isReady() ? 1 : 0)
    },
  })
  new Counter({
    name: `${PREFIX}rate_limit_decisions_total`,
    help: 'Rate-limit decisions: allowed, limited (429), pre-auth limited, too large (413), store failed open/closed',
    labelNames: ['decision'],
    registers,
    collect() {
      const stats = sources.limitStats()
      this.reset()
      for (const [label, field] of Object.entries(DECISIONS)) this.labels(label).inc(stats[field])
    },
  })
  new Counter({
    name: `${PREFIX}redis_errors_total`,
    help: 'Failed or timed-out Redis calls of the rate-limit store',
    registers,
    collect() {
      this.reset()
      this.inc(sources.limitStats().storeErrors)
    },
  })
  new Gauge({
    name: `${PREFIX}long_polls_in_flight`,
    help: 'Consume long polls holding a concurrency slot on this process',
    registers,
    collect() {
      this.set(sources.limitStats().longPollsInFlight)
    },
  })
}
