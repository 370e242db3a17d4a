// Metrics of one gateway instance, kept as plain numbers on the hot path. prom-client is loaded, and the Prometheus
// registry built over these numbers, only when something reads them (a scrape, a cluster primary, a test): a gateway
// nobody scrapes never loads it.
import type { Registry } from 'prom-client'
import type { GatewayError } from '../errors/gateway-error.js'
import type { MetricsSource } from './health.js'
import { LatencyHistogram } from './latency-histogram.js'
import type { MetricCounts, MetricSources, RouteSeries } from './metric-counts.js'

export interface GatewayMetrics extends MetricsSource {
  requestStarted(): void
  /** `upstreamSeconds` is the time to the upstream's response headers, when the request reached it. */
  requestFinished(route: string, status: number, seconds: number, upstreamSeconds: number | undefined): void
  /** Every refusal or failure answered by the gateway, by catalogue code; authentication ones also by reason. */
  refused(error: GatewayError): void
  jwksFetch(issuer: string, outcome: 'success' | 'failure'): void
  /** Where the `ready` gauge reads readiness when scraped (readiness is assembled from parts that report here). */
  watchReadiness(isReady: () => boolean): void
  /** This gateway's own registry, built on the first call (which loads prom-client and starts its default metrics). */
  registry(): Promise<Registry>
}

/** prom-client's Registry.PROMETHEUS_CONTENT_TYPE, known before prom-client is loaded. */
const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'
/** Authentication refusals and their reason when the error carries none (reasons are fixed phrases, never input). */
const AUTH_FAILURES: Readonly<Record<string, string>> = {
  TOKEN_MISSING: 'missing',
  TOKEN_CONFLICT: 'conflict',
  TOKEN_INVALID: 'invalid',
  TOKEN_IN_URL: 'token in url',
  KEYS_UNAVAILABLE: 'keys unavailable',
}

export function createMetrics(sources: MetricSources): GatewayMetrics {
  const counts: MetricCounts = {
    inFlight: 0,
    isReady: () => false,
    routes: new Map(),
    refusals: new Map(),
    authFailures: new Map(),
    jwksFetches: new Map(),
  }
  let registry: Promise<Registry> | undefined
  const loadRegistry = () => {
    registry ??= import('./prometheus-registry.js').then(({ createRegistry }) => createRegistry(counts, sources))
    return registry
  }

  function routeSeries(route: string): RouteSeries {
    let found = counts.routes.get(route)
    if (!found) {
      found = { byStatus: new Map(), duration: new LatencyHistogram(), upstream: new LatencyHistogram() }
      counts.routes.set(route, found)
    }
    return found
  }

  return {
    contentType: PROMETHEUS_CONTENT_TYPE,
    metrics: async () => (await loadRegistry()).metrics(),
    registry: loadRegistry,
    requestStarted: () => {
      counts.inFlight++
    },
    requestFinished(route, status, seconds, upstreamSeconds) {
      counts.inFlight--
      const series = routeSeries(route)
      series.byStatus.set(status, (series.byStatus.get(status) ?? 0) + 1)
      series.duration.observe(seconds)
      if (upstreamSeconds !== undefined) series.upstream.observe(upstreamSeconds)
    },
    refused(error) {
      increment(counts.refusals, error.code)
      const authFailure = AUTH_FAILURES[error.code]
      if (authFailure) increment(counts.authFailures, error.reason ?? authFailure)
    },
    jwksFetch: (issuer, outcome) => {
      let byOutcome = counts.jwksFetches.get(issuer)
      if (!byOutcome) {
        byOutcome = new Map()
        counts.jwksFetches.set(issuer, byOutcome)
      }
      increment(byOutcome, outcome)
    },
    watchReadiness: (isReady) => {
      counts.isReady = isReady
    },
  }
}

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1)
}
