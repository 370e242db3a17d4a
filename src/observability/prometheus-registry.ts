// The Prometheus registry over the gateway's plain metric numbers: every metric reads them when scraped, so nothing is
// added to the hot path. Loaded only when metrics are read (see metrics.ts).
import { Counter, collectDefaultMetrics, Gauge, type Metric, Registry } from 'prom-client'
import type { LimitStats } from '../ratelimit/limit-stats.js'
import { LATENCY_BUCKETS, type LatencyHistogram } from './latency-histogram.js'
import type { MetricCounts, MetricSources, RouteSeries } from './metric-counts.js'

const PREFIX = 'kafka_rest_gateway_'

/** The rate limiter's own counters (plain numbers it keeps anyway), by the label each gets here. */
const DECISIONS = {
  allowed: 'allowed',
  limited: 'limited',
  pre_auth_limited: 'preAuthLimited',
  too_large: 'tooLarge',
  failed_open: 'failedOpen',
  failed_closed: 'failedClosed',
} as const satisfies Record<string, keyof LimitStats>

export function createRegistry(counts: MetricCounts, sources: MetricSources): Registry {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const registers = [registry]

  new Counter({
    name: `${PREFIX}requests_total`,
    help: 'Requests answered, by route class and status',
    labelNames: ['route', 'status'],
    registers,
    collect() {
      this.reset()
      for (const [route, series] of counts.routes)
        for (const [status, count] of series.byStatus) this.labels(route, String(status)).inc(count)
    },
  })
  histogram(
    registry,
    'request_duration_seconds',
    'Time from the request to the end of the response, by route class',
    counts.routes,
    (series) => series.duration,
  )
  histogram(
    registry,
    'upstream_duration_seconds',
    'Time from sending the request upstream to the upstream response headers, by route class',
    counts.routes,
    (series) => series.upstream,
  )
  new Gauge({
    name: `${PREFIX}requests_in_flight`,
    help: 'Requests being handled',
    registers,
    collect() {
      this.set(counts.inFlight)
    },
  })
  labelledCounter(registers, 'refusals_total', 'Requests refused or failed by the gateway, by error code', 'code', () =>
    counts.refusals.entries(),
  )
  labelledCounter(registers, 'auth_failures_total', 'Authentication refusals, by reason', 'reason', () =>
    counts.authFailures.entries(),
  )
  new Counter({
    name: `${PREFIX}jwks_fetches_total`,
    help: 'JWKS fetches, by issuer and outcome',
    labelNames: ['issuer', 'outcome'],
    registers,
    collect() {
      this.reset()
      for (const [issuer, byOutcome] of counts.jwksFetches)
        for (const [outcome, count] of byOutcome) this.labels(issuer, outcome).inc(count)
    },
  })
  new Gauge({
    name: `${PREFIX}ready`,
    help: '1 when /readyz answers 200',
    registers,
    collect() {
      this.set(counts.isReady() ? 1 : 0)
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
  return registry
}

function labelledCounter(
  registers: Registry[],
  name: string,
  help: string,
  label: string,
  read: () => Iterable<[string, number]>,
): void {
  new Counter({
    name: `${PREFIX}${name}`,
    help,
    labelNames: [label],
    registers,
    collect() {
      this.reset()
      for (const [value, count] of read()) this.labels(value).inc(count)
    },
  })
}

/**
 * A histogram by route class, read from plain bucket counts. prom-client's Histogram cannot be set from counts kept
 * elsewhere, so this registers an object of the shape the registry reads (`get()` as Histogram's, bucket lines
 * cumulative, summed across cluster workers).
 */
function histogram(
  registry: Registry,
  name: string,
  help: string,
  routes: ReadonlyMap<string, RouteSeries>,
  pick: (series: RouteSeries) => LatencyHistogram,
): void {
  const fullName = `${PREFIX}${name}`
  const get = async () => {
    const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = []
    for (const [route, series] of routes) {
      const { counts, sum, count } = pick(series)
      if (count === 0) continue
      let cumulative = 0
      LATENCY_BUCKETS.forEach((bound, index) => {
        cumulative += counts[index] as number
        values.push({ labels: { le: bound, route }, value: cumulative, metricName: `${fullName}_bucket` })
      })
      values.push({ labels: { le: '+Inf', route }, value: count, metricName: `${fullName}_bucket` })
      values.push({ labels: { route }, value: sum, metricName: `${fullName}_sum` })
      values.push({ labels: { route }, value: count, metricName: `${fullName}_count` })
    }
    return { name: fullName, help, type: 'histogram', values, aggregator: 'sum' }
  }
  const metric = { name: fullName, help, type: 'histogram', aggregator: 'sum', get, reset: () => {} }
  registry.registerMetric(metric as unknown as Metric)
}
