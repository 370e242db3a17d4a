// The authenticate stage: token from the request → verified Identity on the context, or an RFC 6750 refusal.
import type { Config } from '../config/schema.js'
import type { RequestContext, Stage } from '../request-context.js'
import { createTokenExtractor } from './extract-token.js'
import type { Verified } from './issuer-verifier.js'
import type { Issuers } from './issuers.js'
import { createRefusals, REASONS } from './refusals.js'
import { createExpiringCache, tokenKey } from './token-cache.js'
import { createTokenVerifier, type Verdict } from './verify-token.js'

/** Refused tokens remembered at most; a flood of distinct bad tokens only ever evicts older refusals. */
const NEGATIVE_CACHE_ENTRIES = 10_000

export function authenticate(config: Config['auth'], issuers: Issuers, now: () => number): Stage {
  const refusals = createRefusals(config.realm)
  const extract = createTokenExtractor(config)
  const verify = createTokenVerifier(issuers, config.maxTokenBytes)
  const verified = createExpiringCache<Verified>(config.tokenCacheSize)
  // Only the reason is kept (a short shared string): a refusal flood costs a few hundred bytes per token.
  const refused = createExpiringCache<string>(config.negativeCacheSeconds > 0 ? NEGATIVE_CACHE_ENTRIES : 0)
  // Concurrent requests with the same new token share one verification.
  const pending = new Map<string, Promise<Verdict>>()

  async function judge(key: string, token: string, nowMs: number): Promise<Verified> {
    let verdict = pending.get(key)
    if (!verdict) {
      verdict = verify(token, nowMs).finally(() => pending.delete(key))
      pending.set(key, verdict)
    }
    const result = await verdict
    if (result.ok) {
      verified.set(key, result.verified, result.verified.until)
      return result.verified
    }
    refused.set(key, result.reason, nowMs / 1000 + config.negativeCacheSeconds)
    throw refusals.invalid(result.reason)
  }

  async function verifyInto(ctx: RequestContext, key: string, token: string, nowMs: number): Promise<void> {
    ctx.identity = (await judge(key, token, nowMs)).identity
  }

  // Not async: a cached token (the usual case) is judged synchronously, without a promise or a turn of the microtask
  // queue; only a verification returns one.
  return function authenticateStage(req, _res, ctx) {
    const found = extract(req)
    if (found.kind === 'none') throw refusals.missing(found.otherScheme)
    if (found.kind === 'conflict') throw refusals.conflict()
    if (found.kind === 'in-url') throw refusals.inUrl()
    // Oversized tokens are refused before they are even hashed.
    if (found.token.length > config.maxTokenBytes) throw refusals.invalid(REASONS.tooLarge)

    // The hot path: one hash, one Map lookup, two comparisons.
    const nowMs = now()
    const key = tokenKey(found.token)
    const hit = verified.get(key, nowMs / 1000)
    if (hit !== undefined && hit.revision === hit.keys.revision) {
      ctx.identity = hit.identity
      return
    }
    const reason = refused.get(key, nowMs / 1000)
    if (reason !== undefined) throw refusals.invalid(reason)
    return verifyInto(ctx, key, found.token, nowMs)
  }
}
