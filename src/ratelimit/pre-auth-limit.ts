// Before authentication: a per-client-IP budget of failed authentications, refused with 429 before any signature check.
import type { IncomingMessage } from 'node:http'
import type { RateLimitConfig } from '../config/schema.js'
import type { ErrorCode } from '../errors/catalogue.js'
import { GatewayError } from '../errors/gateway-error.js'
import type { Stage } from '../request-context.js'
import type { BucketSpec, Decision } from '../state/bucket-store.js'
import { createMemoryState } from '../state/memory-state.js'
import { createClientKey } from './client-ip.js'
import type { LimitStats } from './limit-stats.js'
import { policyHeader, rateLimitHeader, retryAfterSeconds } from './rate-limit-headers.js'

export interface PreAuthLimit {
  stage: Stage
  /** Spends one unit of the client's budget when `error` is an authentication failure. */
  countFailure(req: IncomingMessage, error: GatewayError): void
  close(): Promise<void>
}

/** Requests that carried no usable token, or one that did not verify. */
const AUTH_FAILURES: ReadonlySet<ErrorCode> = new Set([
  'TOKEN_MISSING',
  'TOKEN_INVALID',
  'TOKEN_CONFLICT',
  'TOKEN_IN_URL',
])
const NAME = ['auth-failures']
const NOTHING: readonly number[] = [0]
const ONE: readonly number[] = [1]

/**
 * Kept in this process's memory even when Redis holds the other limits: it protects this replica's CPU, and a store
 * round trip per request would cost more than it saves. Requests with a valid token are never counted, so a budget is
 * only spent by clients that fail; once it is spent every request from that address waits, valid or not, because
 * telling them apart would take the very verification being protected.
 */
export function createPreAuthLimit(config: RateLimitConfig, stats: LimitStats, now: () => number): PreAuthLimit {
  const { failures, windowSeconds } = config.preAuth
  const spec: readonly BucketSpec[] = [{ limit: failures, windowMs: windowSeconds * 1000 }]
  const memory = createMemoryState({ maxKeys: config.memory.maxKeys })
  const store = memory.buckets
  const clientKeyOf = createClientKey(config.trustProxy)
  const policy = policyHeader([{ name: NAME[0] as string, quota: failures, windowSeconds }])
  const intervalMs = (windowSeconds * 1000) / failures

  return {
    stage: function preAuthLimitStage(req) {
      const key = clientKeyOf(req)
      const state = (store.consume([key], spec, NOTHING, now()) as Decision).buckets[0]
      if (state === undefined || state.remaining >= 1) return
      stats.preAuthLimited++
      // One more failure fits once the bucket is one interval short of its capacity.
      const waitMs = state.resetMs - windowSeconds * 1000 + intervalMs
      throw new GatewayError('RATE_LIMITED', {
        message: 'Too many failed authentications from this address',
        headers: {
          'Retry-After': String(retryAfterSeconds(waitMs)),
          'RateLimit-Policy': policy,
          RateLimit: rateLimitHeader(NAME, [state]),
        },
      })
    },
    countFailure(req, error) {
      if (AUTH_FAILURES.has(error.code)) store.consume([clientKeyOf(req)], spec, ONE, now())
    },
    close: () => memory.close(),
  }
}
