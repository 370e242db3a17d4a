// createLimits: builds the store, plans and stages of rate limiting once, from the `rateLimit` config section.
import type { IncomingMessage } from 'node:http'
import type { RateLimitConfig } from '../config/schema.js'
import type { GatewayError } from '../errors/gateway-error.js'
import type { Logger } from '../observability/logger.js'
import type { Stage } from '../request-context.js'
import { createLimitPlans } from './limit-plans.js'
import { createLimitStats, type LimitStats } from './limit-stats.js'
import type { LimitStore } from './limit-store.js'
import { createMemoryStore } from './memory-store.js'
import { createPartitionOf } from './partition-key.js'
import { createPreAuthLimit } from './pre-auth-limit.js'
import { rateLimit } from './rate-limit.js'
import { createRedisStore } from './redis-store.js'
import { createStoreFailures } from './store-failures.js'

export interface LimitsDeps {
  logger: Logger
  now: () => number
  /** The upstream timeout: a consume slot whose release was lost expires a little after it. */
  upstreamTimeoutMs: number
}

export interface Limits {
  /** Stages to run just before `authenticate` (the per-IP pre-auth limit). */
  beforeAuthentication: Stage[]
  /** Stages to run right after `authenticate`, before any stage reads a body: one request of the caller's budget. */
  onIdentified: Stage[]
  /** Stages to run after the policy and every stage that reads the body: produce quotas, consume slots. */
  afterAuthentication: Stage[]
  /** Call for every refusal: counts authentication failures against the client's address. */
  onRefusal(error: GatewayError, req: IncomingMessage): void
  /** Counters for metrics; the object stays the same, its numbers grow. */
  stats: Readonly<LimitStats>
  /** The shared store (memory or Redis), also for other shared records such as consumer ownership. */
  store: LimitStore
  warmUp(): Promise<void>
  close(): Promise<void>
}

export function createLimits(config: RateLimitConfig, deps: LimitsDeps): Limits {
  const stats = createLimitStats()
  const failures = createStoreFailures(config.onStoreError, deps.logger, stats)
  const store = config.redis.url
    ? createRedisStore({
        ...config.redis,
        url: config.redis.url,
        onError: failures.observe,
        onReady: failures.succeeded,
      })
    : createMemoryStore({ maxKeys: config.memory.maxKeys })
  const preAuth = config.enabled && config.preAuth.enabled ? createPreAuthLimit(config, stats, deps.now) : undefined
  const limit = config.enabled
    ? rateLimit({
        plans: createLimitPlans(config),
        partitionOf: createPartitionOf(config.keyBy),
        store,
        failures,
        stats,
        now: deps.now,
        leaseMs: deps.upstreamTimeoutMs + 5_000,
      })
    : undefined
  return {
    beforeAuthentication: preAuth ? [preAuth.stage] : [],
    onIdentified: limit ? [limit.admit] : [],
    afterAuthentication: limit ? [limit.charge] : [],
    onRefusal: (error, req) => preAuth?.countFailure(req, error),
    stats,
    store,
    warmUp: () => store.warmUp(),
    async close() {
      await Promise.all([store.close(), preAuth?.close()])
    },
  }
}
