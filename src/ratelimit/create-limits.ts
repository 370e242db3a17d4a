// createLimits: builds the plans and stages of rate limiting once, from the `rateLimit` config section.
import type { IncomingMessage } from 'node:http'
import type { RateLimitConfig } from '../config/schema.js'
import type { GatewayError } from '../errors/gateway-error.js'
import type { Logger } from '../observability/logger.js'
import type { Stage } from '../request-context.js'
import type { SharedState } from '../state/shared-state.js'
import { createLimitPlans } from './limit-plans.js'
import { createLimitStats, type LimitStats } from './limit-stats.js'
import { createPartitionOf } from './partition-key.js'
import { createPreAuthLimit } from './pre-auth-limit.js'
import { rateLimit } from './rate-limit.js'
import { createStoreFailures } from './store-failures.js'

export interface LimitsDeps {
  logger: Logger
  now: () => number
  /** The upstream timeout: a consume slot whose release was lost expires a little after it. */
  upstreamTimeoutMs: number
  /** Where the buckets live (memory or Redis), shared with other users of the state such as consumer ownership. */
  state: SharedState
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
  /** Stops the per-IP pre-auth limit's sweeper (the shared state is closed by its owner). */
  close(): Promise<void>
}

export function createLimits(config: RateLimitConfig, deps: LimitsDeps): Limits {
  const stats = createLimitStats()
  const failures = createStoreFailures(config.onStoreError, deps.logger, stats)
  deps.state.watch({ onError: failures.observe, onReady: failures.succeeded })
  const preAuth = config.enabled && config.preAuth.enabled ? createPreAuthLimit(config, stats, deps.now) : undefined
  const limit = config.enabled
    ? rateLimit({
        plans: createLimitPlans(config),
        partitionOf: createPartitionOf(config.keyBy),
        store: deps.state.buckets,
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
    async close() {
      await preAuth?.close()
    },
  }
}
