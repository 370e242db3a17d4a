// The rateLimit stage: after authentication, spends the caller's budget for the route class and the produce quotas.
import type { ServerResponse } from 'node:http'
import { GatewayError } from '../errors/gateway-error.js'
import type { RequestContext, Stage } from '../request-context.js'
import type { BucketStore, Decision, MaybePromise } from '../state/bucket-store.js'
import type { ClassPlan, LimitPlans } from './limit-plans.js'
import type { LimitStats } from './limit-stats.js'
import type { PartitionOf } from './partition-key.js'
import { createMeter, type ProduceCosts, produceCosts } from './produce-quota.js'
import { rateLimitHeader, retryAfterSeconds } from './rate-limit-headers.js'
import type { StoreFailures } from './store-failures.js'

export interface RateLimitParts {
  plans: LimitPlans
  partitionOf: PartitionOf
  store: BucketStore
  failures: StoreFailures
  stats: LimitStats
  now: () => number
  /** The longest a consume slot is held if its release is lost (a replica died): past the upstream timeout. */
  leaseMs: number
}

const ONE_REQUEST: readonly number[] = [1]
/** Nobody knows when a long poll ends; a second is a fair time to try again. */
const SLOT_RETRY = { 'Retry-After': '1' }

export function rateLimit(parts: RateLimitParts): Stage {
  const { plans, partitionOf, store, failures, stats, now, leaseMs } = parts

  function decided(
    decision: Decision,
    res: ServerResponse,
    ctx: RequestContext,
    plan: ClassPlan,
    keys: readonly string[],
    produce: ProduceCosts | undefined,
  ): MaybePromise<void> {
    failures.succeeded()
    res.setHeader('RateLimit-Policy', plan.policyHeader)
    res.setHeader('RateLimit', rateLimitHeader(plan.names, decision.buckets))
    if (!decision.allowed) {
      stats.limited++
      const wait = Math.max(...decision.buckets.map((bucket) => bucket.retryAfterMs))
      const headers: Record<string, string> = { 'Retry-After': String(retryAfterSeconds(wait)) }
      if (produce) headers.Connection = 'close'
      throw new GatewayError('RATE_LIMITED', { headers })
    }
    if (produce?.metered) {
      const charge = (costs: number[]) => inBackground(() => store.consume(keys, plan.specs, costs, now(), true))
      const meter = createMeter(plan, produce, decision, stats, charge)
      ctx.bodyTransform = meter
      // An aborted upload never ends: whatever went upstream is charged when the exchange closes.
      res.once('close', () => meter.settle())
    }
    if (plan.maxConcurrent !== undefined) return takeSlot(res, `${keys[0]}-concurrency`, plan.maxConcurrent)
    stats.allowed++
  }

  function takeSlot(res: ServerResponse, key: string, max: number): MaybePromise<void> {
    const taken = (lease: string | undefined): void => {
      if (lease === undefined) {
        stats.limited++
        throw new GatewayError('RATE_LIMITED', { message: 'Too many consume requests in flight', headers: SLOT_RETRY })
      }
      stats.allowed++
      stats.longPollsInFlight++
      res.once('close', () => {
        stats.longPollsInFlight--
        inBackground(() => store.release(key, lease))
      })
    }
    const lease = store.acquire(key, max, leaseMs, now())
    return lease instanceof Promise ? lease.then(taken, failures.failed) : taken(lease)
  }

  function inBackground(work: () => MaybePromise<unknown>): void {
    try {
      const result = work()
      if (result instanceof Promise) result.then(undefined, failures.ignored)
    } catch (error) {
      failures.ignored(error)
    }
  }

  return function rateLimitStage(req, res, ctx) {
    const identity = ctx.identity
    if (!identity) return
    const plan = plans(identity, ctx.route?.kind ?? 'other')
    const partition = partitionOf(identity)
    const keys = plan.names.map((name) => `{${partition}}:${name}`)
    const produce = plan.maxBodyBytes === undefined ? undefined : produceCosts(req, ctx, plan, stats)
    const decision = store.consume(keys, plan.specs, produce?.costs ?? ONE_REQUEST, now())
    if (!(decision instanceof Promise)) return decided(decision, res, ctx, plan, keys, produce)
    return decision.then(
      (answer) => decided(answer, res, ctx, plan, keys, produce),
      (error: unknown) => {
        failures.failed(error)
        // Failing open: no decision, but the body size cap still holds for a streamed produce.
        if (produce?.metered) ctx.bodyTransform = createMeter(plan, produce, undefined, stats, () => {})
      },
    )
  }
}
