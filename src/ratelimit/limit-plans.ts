// The configured limits resolved once into a plan per route class, for the defaults and for each override.
import type { Identity } from '../auth/identity.js'
import { type LimitOverride, type RateLimitConfig, routeClasses } from '../config/schema.js'
import type { RouteKind } from '../policy/route-match.js'
import type { BucketSpec } from '../state/bucket-store.js'
import { type PolicyItem, policyHeader } from './rate-limit-headers.js'

/** What one request of a route class is checked against. */
export interface ClassPlan {
  /** Bucket names (also the policy names clients see), in the order of `specs`: the class, then produce quotas. */
  names: readonly string[]
  specs: readonly BucketSpec[]
  /** The RateLimit-Policy value, built once. */
  policyHeader: string
  /** Where the byte and record quotas sit in `specs`, or -1. */
  bytesIndex: number
  recordsIndex: number
  /** Produce only: larger bodies are refused with 413. */
  maxBodyBytes?: number
  /** Consume only: long polls in flight per caller. */
  maxConcurrent?: number
}

export type LimitPlans = (identity: Identity, kind: RouteKind) => ClassPlan

const KINDS = routeClasses satisfies readonly RouteKind[]
type PlanSet = Readonly<Record<RouteKind, ClassPlan>>

export function createLimitPlans(config: RateLimitConfig): LimitPlans {
  const defaults = planSet(config)
  const bySubject = new Map<string, PlanSet>()
  const byTenant = new Map<string, PlanSet>()
  // Keyed by issuer and name ('' for an override without issuer, allowed only while one issuer is configured).
  for (const override of config.overrides) {
    const issuer = override.issuer ?? ''
    if (override.subject !== undefined) bySubject.set(`${issuer}\n${override.subject}`, planSet(config, override))
    if (override.tenant !== undefined) byTenant.set(`${issuer}\n${override.tenant}`, planSet(config, override))
  }
  if (bySubject.size === 0 && byTenant.size === 0) return (_identity, kind) => defaults[kind]
  const find = (plans: Map<string, PlanSet>, issuer: string, name: string | undefined) =>
    name === undefined ? undefined : (plans.get(`${issuer}\n${name}`) ?? plans.get(`\n${name}`))
  // Resolved once per identity: the token cache hands out the same Identity object for a repeated token, and every
  // request asks twice (admit, then charge).
  const resolved = new WeakMap<Identity, PlanSet>()
  return (identity, kind) => {
    let plans = resolved.get(identity)
    if (plans === undefined) {
      // A subject's own override beats its tenant's, which beats the defaults; an issuer's own rule beats one without.
      plans =
        find(bySubject, identity.issuer, identity.subject) ??
        find(byTenant, identity.issuer, identity.tenant) ??
        defaults
      resolved.set(identity, plans)
    }
    return plans[kind]
  }
}

function planSet(config: RateLimitConfig, override?: LimitOverride): PlanSet {
  return Object.fromEntries(KINDS.map((kind) => [kind, classPlan(kind, config, override)])) as PlanSet
}

/** The most specific setting wins: the override's class, the override, the config's class, the config. */
function classPlan(kind: RouteKind, config: RateLimitConfig, override?: LimitOverride): ClassPlan {
  const pick = (field: 'requests' | 'windowSeconds') =>
    override?.classes?.[kind]?.[field] ?? override?.[field] ?? config.classes[kind]?.[field] ?? config[field]
  const windowSeconds = pick('windowSeconds')
  const items: PolicyItem[] = [{ name: kind, quota: pick('requests'), windowSeconds }]
  const plan: ClassPlan = { names: [], specs: [], policyHeader: '', bytesIndex: -1, recordsIndex: -1 }
  if (kind === 'produce') {
    const produce = (field: keyof RateLimitConfig['produce']) => override?.produce?.[field] ?? config.produce[field]
    plan.maxBodyBytes = produce('maxBodyBytes')
    const bytes = produce('bytesPerWindow')
    const records = produce('recordsPerWindow')
    if (bytes) {
      plan.bytesIndex = items.length
      items.push({ name: 'produce-bytes', quota: bytes, windowSeconds, unit: 'content-bytes' })
    }
    if (records) {
      plan.recordsIndex = items.length
      items.push({ name: 'produce-records', quota: records, windowSeconds, unit: 'records' })
    }
  }
  if (kind === 'consume') plan.maxConcurrent = override?.consume?.maxConcurrent ?? config.consume.maxConcurrent
  const shown = [...items]
  if (plan.maxConcurrent)
    shown.push({ name: 'consume-concurrency', quota: plan.maxConcurrent, unit: 'concurrent-requests' })
  return {
    ...plan,
    names: items.map((item) => item.name),
    specs: items.map((item) => ({ limit: item.quota, windowMs: (item.windowSeconds as number) * 1000 })),
    policyHeader: policyHeader(shown),
  }
}
