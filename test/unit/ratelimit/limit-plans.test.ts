// The configured limits resolved into a plan per route class: defaults, class settings and overrides by precedence.
import { describe, expect, it } from 'vitest'
import type { Identity } from '../../../src/auth/identity.js'
import { configSchema } from '../../../src/config/schema.js'
import { createLimitPlans } from '../../../src/ratelimit/limit-plans.js'

const rateLimit = configSchema.shape.rateLimit.parse({
  requests: 100,
  windowSeconds: 60,
  classes: { produce: { requests: 50 }, consume: { windowSeconds: 10 } },
  produce: { bytesPerWindow: 1000, maxBodyBytes: 500 },
  consume: { maxConcurrent: 3 },
  overrides: [
    { subject: 'vip', requests: 1000, classes: { produce: { requests: 700 } } },
    { tenant: 'acme', requests: 200, produce: { recordsPerWindow: 9 }, consume: { maxConcurrent: 5 } },
  ],
})
const plans = createLimitPlans(rateLimit)
const who = (subject: string, tenant?: string): Identity => ({ subject, tenant, issuer: 'i', scopes: [], expiresAt: 0 })

describe('createLimitPlans', () => {
  it.each([
    { case: 'default class', subject: 'a', tenant: undefined, kind: 'metadata', limit: 100, windowMs: 60_000 },
    { case: 'class requests', subject: 'a', tenant: undefined, kind: 'produce', limit: 50, windowMs: 60_000 },
    { case: 'class window', subject: 'a', tenant: undefined, kind: 'consume', limit: 100, windowMs: 10_000 },
    {
      case: "override's class beats all",
      subject: 'vip',
      tenant: 'acme',
      kind: 'produce',
      limit: 700,
      windowMs: 60_000,
    },
    {
      case: 'override beats config class',
      subject: 'vip',
      tenant: undefined,
      kind: 'consume',
      limit: 1000,
      windowMs: 10_000,
    },
    { case: 'tenant override', subject: 'b', tenant: 'acme', kind: 'produce', limit: 200, windowMs: 60_000 },
    { case: 'unknown tenant: defaults', subject: 'b', tenant: 'other', kind: 'other', limit: 100, windowMs: 60_000 },
  ] as const)(
    '$case: $kind for $subject gets $limit per $windowMs ms',
    ({ subject, tenant, kind, limit, windowMs }) => {
      expect(plans(who(subject, tenant), kind).specs[0]).toEqual({ limit, windowMs })
    },
  )

  it('adds the produce quotas as buckets after the request bucket, with their policy header', () => {
    const plan = plans(who('b', 'acme'), 'produce')
    expect(plan.names).toEqual(['produce', 'produce-bytes', 'produce-records'])
    expect(plan.specs).toEqual([
      { limit: 200, windowMs: 60_000 },
      { limit: 1000, windowMs: 60_000 },
      { limit: 9, windowMs: 60_000 },
    ])
    expect([plan.bytesIndex, plan.recordsIndex, plan.maxBodyBytes]).toEqual([1, 2, 500])
    expect(plan.policyHeader).toBe(
      '"produce";q=200;w=60, "produce-bytes";q=1000;qu="content-bytes";w=60, "produce-records";q=9;qu="records";w=60',
    )
  })

  it('caps long polls on consume only, and shows the cap in the policy header', () => {
    expect(plans(who('a'), 'consume')).toMatchObject({
      maxConcurrent: 3,
      policyHeader: '"consume";q=100;w=10, "consume-concurrency";q=3;qu="concurrent-requests"',
    })
    expect(plans(who('b', 'acme'), 'consume').maxConcurrent).toBe(5)
    const metadata = plans(who('a'), 'metadata')
    expect([metadata.maxConcurrent, metadata.maxBodyBytes, metadata.bytesIndex]).toEqual([undefined, undefined, -1])
  })

  it('refuses an override naming both a subject and a tenant, or neither', () => {
    for (const override of [{ subject: 'a', tenant: 'b' }, { requests: 5 }]) {
      const result = configSchema.shape.rateLimit.safeParse({ overrides: [override] })
      expect(result.error?.issues[0]?.message).toBe('needs exactly one of subject, tenant')
    }
  })
})
