// The numbers the gateway counts per request and what else a scrape reads: shared by the hot path (metrics.ts) and the
// Prometheus registry built over them on demand (prometheus-registry.ts).
import type { LimitStats } from '../ratelimit/limit-stats.js'
import type { LatencyHistogram } from './latency-histogram.js'

/** What the metrics read when scraped. */
export interface MetricSources {
  limitStats(): Readonly<LimitStats>
}

/** One route class's requests. */
export interface RouteSeries {
  byStatus: Map<number, number>
  duration: LatencyHistogram
  /** Only requests that reached the upstream. */
  upstream: LatencyHistogram
}

/** The numbers the registry reads when scraped. */
export interface MetricCounts {
  inFlight: number
  isReady(): boolean
  routes: Map<string, RouteSeries>
  refusals: Map<string, number>
  authFailures: Map<string, number>
  /** By issuer, then outcome. */
  jwksFetches: Map<string, Map<string, number>>
}
