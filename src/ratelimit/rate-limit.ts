// The rate limit in two stages: `admit` spends one request of the caller's class budget as soon as the caller is
// known (before any stage reads a body), `charge` spends the produce quotas and takes a consume slot after the policy.
import type { ServerResponse } from 'node:http'
import { GatewayError } from '../errors/gateway-error.js'
import type { RequestContext, Stage } from '../request-context.js'
import type { BucketSpec, BucketStore, Decision, MaybePromise } from '../state/bucket-store.js'
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

export interface RateLimitStages {
  /**
   * Right after authentication: one request from the caller's route-class budget, or 429. Requests the policy then
   * refuses have paid for the work it did (reading and parsing a body included), so no caller gets that work for free.
   */
  admit: Stage
  /** After the policy: the produce byte and record quotas (the body's size and records are known by then), the slot. */
  charge: Stage
}

const ONE_REQUEST: readonly number[] = [1]
/** Nobody knows when a long poll ends; a second is a fair time to try again. */
const SLOT_RETRY = { 'Retry-After': '1' }

export function rateLimit(parts: RateLimitParts): RateLimitStages {
  const { plans, partitionOf, store, failures, stats, now, leaseMs } = parts
  /** Requests whose admit store call failed while failing open: the charge stage does not ask the store again. */
  const failedOpen = new WeakSet<RequestContext>()

  function planOf(ctx: RequestContext) {
    const identity = ctx.identity
    if (!identity) return undefined
    const plan = plans(identity, ctx.route?.kind ?? 'other')
    const partition = partitionOf(identity)
    return { plan, keys: plan.names.map((name) => `{${partition}}:${name}`) }
  }

  function refuse(decision: Decision, plan: ClassPlan): never {
    stats.limited++
    const wait = Math.max(...decision.buckets.map((bucket) => bucket.retryAfterMs))
    const headers: Record<string, string> = { 'Retry-After': String(retryAfterSeconds(wait)) }
    // A produce body was not read: closing is cheaper than draining it.
    if (plan.maxBodyBytes !== undefined) headers.Connection = 'close'
    throw new GatewayError('RATE_LIMITED', { headers })
  }

  function showHeaders(res: ServerResponse, plan: ClassPlan, names: readonly string[], decision: Decision): void {
    res.setHeader('RateLimit-Policy', plan.policyHeader)
    res.setHeader('RateLimit', rateLimitHeader(names, decision.buckets))
  }

  function decided(
    decision: Decision,
    res: ServerResponse,
    ctx: RequestContext,
    plan: ClassPlan,
    keys: readonly string[],
    produce: ProduceCosts,
  ): MaybePromise<void> {
    failures.succeeded()
    showHeaders(res, plan, plan.names, decision)
    if (!decision.allowed) refuse(decision, plan)
    if (produce.metered) {
      const charge = (costs: number[]) => inBackground(() => store.consume(keys, plan.specs, costs, now(), true))
      const meter = createMeter(plan, produce, decision, stats, charge)
      ctx.bodyTransform = meter
      // An aborted upload never ends: whatever went upstream is charged when the exchange closes.
      res.once('close', () => meter.settle())
    }
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

  const admitStage: Stage = (_req, res, ctx) => {
    const found = planOf(ctx)
    if (!found) return
    const { plan, keys } = found
    const onDecision = (decision: Decision) => {
      failures.succeeded()
      showHeaders(res, plan, plan.names.slice(0, 1), decision)
      if (!decision.allowed) refuse(decision, plan)
    }
    const decision = store.consume(keys.slice(0, 1), plan.specs.slice(0, 1), ONE_REQUEST, now())
    if (!(decision instanceof Promise)) return onDecision(decision)
    return decision.then(onDecision, (error: unknown) => {
      failures.failed(error)
      failedOpen.add(ctx)
    })
  }

  const chargeStage: Stage = (req, res, ctx) => {
    const found = planOf(ctx)
    if (!found) return
    const { plan, keys } = found
    const noStore = failedOpen.has(ctx)
    if (plan.maxBodyBytes !== undefined) {
      const produce = produceCosts(req, ctx, plan, stats)
      // Without byte or record quotas (or without a store) only the body size cap is left to enforce.
      if (noStore || plan.specs.length === 1) {
        capBody(ctx, plan, produce)
        if (!noStore) stats.allowed++
        return
      }
      // The request itself was paid for by admit: only the quotas are spent here.
      const costs = produce.costs.map((cost, index) => (index === 0 ? 0 : cost))
      const decision = store.consume(keys, plan.specs as BucketSpec[], costs, now())
      if (!(decision instanceof Promise)) return decided(decision, res, ctx, plan, keys, produce)
      return decision.then(
        (answer) => decided(answer, res, ctx, plan, keys, produce),
        (error: unknown) => {
          failures.failed(error)
          capBody(ctx, plan, produce)
        },
      )
    }
    if (plan.maxConcurrent !== undefined && !noStore) {
      return takeSlot(res, `${keys[0]}-concurrency`, plan.maxConcurrent)
    }
    if (!noStore) stats.allowed++
  }

  /** A meter for the body size cap alone (no decision to spend from): only a streamed body needs one. */
  function capBody(ctx: RequestContext, plan: ClassPlan, produce: ProduceCosts): void {
    if (produce.metered) ctx.bodyTransform = createMeter(plan, produce, undefined, stats, () => {})
  }

  return { admit: admitStage, charge: chargeStage }
}
