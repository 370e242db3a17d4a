// createGateway: builds every long-lived part once (logger, issuers, keys, proxy, metrics) and wires the request pipeline.
import { readFileSync } from 'node:fs'
import { createAuditLog } from './audit/audit-log.js'
import { authenticate } from './auth/authenticate.js'
import { createIssuers } from './auth/issuers.js'
import { authorize } from './authz/authorize.js'
import { consumerOwnership } from './authz/consumer-ownership.js'
import type { Config } from './config/schema.js'
import type { SecretReaders } from './config/secret-source.js'
import { cors } from './edge/cors.js'
import { requestGuard } from './edge/request-guard.js'
import { securityHeaders } from './edge/security-headers.js'
import { unreadBody } from './edge/unread-body.js'
import type { GatewayError } from './errors/gateway-error.js'
import { adminHandler, healthRoutes, opsRoutes, type ReadinessCheck } from './observability/health.js'
import { createLogger, type Logger } from './observability/logger.js'
import { createMetrics, type GatewayMetrics } from './observability/metrics.js'
import { observeRequests } from './observability/observe-requests.js'
import type { StageTimes } from './observability/stage-timing.js'
import { createUpstreamProbe } from './observability/upstream-probe.js'
import { createPipeline, type Handler } from './pipeline.js'
import { classifyRoute } from './policy/classify-route.js'
import { enforcePolicy } from './policy/enforce-policy.js'
import { checkHost } from './proxy/check-host.js'
import { createProxy } from './proxy/create-proxy.js'
import { createConsumerInstanceRemover } from './proxy/remove-consumer-instance.js'
import { createUpstreamKeys } from './proxy/upstream-keys.js'
import { upstreamTlsOptions } from './proxy/upstream-tls.js'
import { createLimits, type Limits } from './ratelimit/create-limits.js'
import type { RequestContext, Stage } from './request-context.js'
import { createSharedState } from './state/create-state.js'
import type { SharedState } from './state/shared-state.js'

export interface GatewayDeps {
  logger?: Logger
  /** Where `{ env }` secrets are read; defaults to the process environment. */
  env?: SecretReaders['env']
  readFile?: SecretReaders['readFile']
  /** Milliseconds since the epoch (token expiry, caches, JWKS cooldown, rate limits); tests move it. Default Date.now. */
  now?: () => number
  /** The benchmark's stage-cost mode: time every pipeline stage into this. */
  stageTimes?: StageTimes
}

export interface Gateway {
  /** Connect-style handler: `app.use(gateway.handler)` in Express, or `http.createServer(gateway.handler)`. */
  handler: Handler
  /** The admin listener's handler: /healthz, /readyz and /metrics only. */
  adminHandler: Handler
  /** True when keys are loaded, every issuer has a key set, the upstream accepts connections and no drain began. */
  isReady(): boolean
  /** Loads issuer keys and checks the upstream; resolves when each has tried once. */
  warmUp(): Promise<void>
  /** Re-reads the upstream keys from their sources (SIGHUP); a bad source keeps its previous key. */
  reload(): void
  /** Marks the gateway as shutting down: /readyz answers 503 from now on. */
  drain(): void
  close(): Promise<void>
  logger: Logger
  /** Rate-limit counters (for metrics). */
  limits: Pick<Limits, 'stats'>
  /** The shared state (memory or Redis): rate-limit buckets and consumer ownership records. */
  state: SharedState
  metrics: GatewayMetrics
}

export function createGateway(config: Config, deps: GatewayDeps = {}): Gateway {
  const logger = deps.logger ?? createLogger(config.log)
  const readers = {
    env: deps.env ?? process.env,
    readFile: deps.readFile ?? ((path: string) => readFileSync(path, 'utf8')),
  }
  const keys = createUpstreamKeys(config.upstream, readers, logger)
  const now = deps.now ?? Date.now
  const state = createSharedState(config.rateLimit)
  const limits = createLimits(config.rateLimit, { logger, now, upstreamTimeoutMs: config.upstream.timeoutMs, state })
  const audit = createAuditLog(config.audit)
  const metrics = createMetrics({ limitStats: () => limits.stats })
  const issuers = createIssuers(config.auth, { readers, logger, now, onJwksFetch: metrics.jwksFetch })
  const upstreamTls = upstreamTlsOptions(config.upstream.tls, readers.readFile)
  const upstream = createUpstreamProbe(config.upstream.url, {
    intervalMs: config.upstream.healthCheckIntervalMs,
    connectTimeoutMs: config.upstream.connectTimeoutMs,
    tls: upstreamTls,
    onChange: (reason) =>
      reason ? logger.warn({ reason }, 'upstream not reachable: not ready') : logger.info('upstream reachable'),
  })
  let draining = false
  // Readiness: each check is cheap (slow ones keep a result refreshed in the background). Add checks here.
  const readiness: ReadinessCheck[] = [
    { name: 'issuers', check: () => (issuers.isReady() ? undefined : 'signing keys not loaded') },
    { name: 'upstream', check: () => upstream.check() },
    { name: 'gateway', check: () => (draining ? 'shutting down' : undefined) },
    // Only when requests fail without Redis: with failOpen they pass, and every replica going unready at once
    // because of Redis would turn a degraded limiter into an outage.
    ...(config.rateLimit.redis.url && config.rateLimit.onStoreError === 'failClosed'
      ? [{ name: 'redis', check: () => (state.isAvailable() ? undefined : 'not connected') }]
      : []),
  ]
  const isReady = () => readiness.every(({ check }) => check() === undefined)
  metrics.watchReadiness(isReady)
  const proxy = createProxy(config, upstreamTls)
  const health = healthRoutes(opsRoutes(readiness, config.metrics.onMainPort ? metrics : undefined))
  const observe = observeRequests(logger, metrics)

  // The pipeline, in order. Each stage is built once; docs/security.md (how a request is handled) says why this order.
  const stages: Stage[] = [
    // Probes are frequent: unless asked, they are answered before they are logged or counted.
    ...(config.log.probes ? [observe, health] : [health, observe]),
    requestGuard(config.server),
    // Mounted in a host app after a body parser, a request would otherwise wait for a body that never comes.
    unreadBody(),
    securityHeaders(),
    // Before every stage that judges the request, so their refusals carry CORS headers and preflights need no token.
    cors(config.cors),
    // Before authentication and before any body is read: a Host with userinfo, a path or a query is answered 400.
    checkHost(config.rateLimit.trustProxy),
    classifyRoute(),
    ...optional(audit?.stage),
    // Before verification, so a client that keeps failing cannot make the gateway check signatures for it.
    ...limits.beforeAuthentication,
    authenticate(config.auth, issuers, now),
    // As soon as the caller is known, before any stage reads or parses a body: every request, refused later or not,
    // spends one unit of its class budget, so nobody makes the gateway do work for free.
    ...limits.onIdentified,
    // The route policy runs before the stages below, so they see only requests it let through, with `ctx.route` (and
    // `ctx.body` where the policy read a body).
    enforcePolicy(config.policy),
    ...optional(authorize(config)),
    // Ownership records live in the shared state, so every replica sharing it agrees on who owns an instance.
    ...optional(
      consumerOwnership(config.authz.consumers, {
        records: state.records,
        isAvailable: state.isAvailable,
        now,
        logger,
        removeInstance: createConsumerInstanceRemover(config.upstream, keys, upstreamTls),
        upstreamTimeoutMs: config.upstream.timeoutMs,
      }),
    ),
    // After the policy and authorization, before the credential swap: produce quotas (a body they read is charged by its
    // size) and consume slots are spent only by requests that will be forwarded.
    ...limits.afterAuthentication,
    // The key for this caller; the proxy writes it in place of every client credential (proxy/upstream-headers.ts).
    function swapCredentialsStage(_req, _res, ctx) {
      ctx.upstreamKey = keys.forIdentity(ctx.identity)
    },
  ]

  const pipeline = createPipeline(stages, (req, res, _ctx, fail) => proxy.forward(req, res, fail), {
    times: deps.stageTimes,
    onError: (error, req, ctx) => {
      metrics.refused(error)
      limits.onRefusal(error, req)
      logFailure(logger, error, ctx)
    },
  })

  return {
    handler: pipeline.handler,
    adminHandler: adminHandler(opsRoutes(readiness, metrics)),
    logger,
    limits,
    state,
    metrics,
    isReady,
    warmUp: async () => {
      // When something will scrape, the registry is built now, so its process metrics (GC, event-loop lag) count from
      // the start; otherwise prom-client is never loaded.
      const scraped = config.server.adminPort !== undefined || config.metrics.onMainPort
      await Promise.all([issuers.warmUp(), state.warmUp(), upstream.probe(), scraped ? metrics.registry() : undefined])
    },
    drain: () => {
      draining = true
    },
    reload: () => keys.reload(),
    close: async () => {
      upstream.stop()
      issuers.close()
      keys.close()
      proxy.close()
      await Promise.all([audit?.close(), limits.close(), state.close()])
    },
  }
}

function logFailure(logger: Logger, error: GatewayError, ctx: RequestContext): void {
  const fields = { requestId: ctx.requestId, code: error.code, reason: error.reason }
  // Only a bug in the gateway is an error worth a stack. Outages it reports (upstream, IdP, Redis, draining) repeat on
  // every request while they last: a warning without the stack. Refusals are normal traffic.
  if (error.code === 'INTERNAL') logger.error({ ...fields, err: error.cause }, error.message)
  else if (error.status >= 500) logger.warn({ ...fields, cause: causeOf(error) }, error.message)
  else logger.debug(fields, error.message)
}

/** The cause in one short word or line (e.g. ECONNREFUSED), not its stack. */
function causeOf(error: GatewayError): string | undefined {
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined
  return typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : undefined
}

/** Stages that are off by configuration are left out of the list rather than run as no-ops. */
function optional(stage: Stage | undefined): Stage[] {
  return stage ? [stage] : []
}
