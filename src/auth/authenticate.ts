// The authenticate stage: token from the request → verified Identity on the context, or an RFC 6750 refusal.
import type { Config } from '../config/schema.js'
import { GatewayError } from '../errors/gateway-error.js'
import type { Stage } from '../request-context.js'
import { createTokenExtractor } from './extract-token.js'
import type { Verified } from './issuer-verifier.js'
import type { Issuers } from './issuers.js'
import { createRefusals, REASONS } from './refusals.js'
import { createExpiringCache, tokenKey } from './token-cache.js'
import { createTokenVerifier } from './verify-token.js'

/** Refused tokens remembered at most; a flood of distinct bad tokens only ever evicts older refusals. */
const NEGATIVE_CACHE_ENTRIES = 10_000

export function authenticate(config: Config['auth'], issuers: Issuers, now: () => number): Stage {
  const refusals = createRefusals(config.realm)
  const extract = createTokenExtractor(config)
  const verify = createTokenVerifier(issuers, refusals, config.maxTokenBytes)
  const verified = createExpiringCache<Verified>(config.tokenCacheSize)
  const refused = createExpiringCache<GatewayError>(config.negativeCacheSeconds > 0 ? NEGATIVE_CACHE_ENTRIES : 0)
  // Concurrent requests with the same new token share one verification.
  const pending = new Map<string, Promise<Verified>>()

  async function verifyOnce(key: string, token: string, nowMs: number): Promise<Verified> {
    let verification = pending.get(key)
    if (!verification) {
      verification = verify(token, nowMs).finally(() => pending.delete(key))
      pending.set(key, verification)
    }
    try {
      const result = await verification
      verified.set(key, result, result.until)
      return result
    } catch (error) {
      // Only verdicts on the token itself; "keys unavailable" (503) is the gateway's state, not the token's.
      if (error instanceof GatewayError && error.status === 401) {
        refused.set(key, error, nowMs / 1000 + config.negativeCacheSeconds)
      }
      throw error
    }
  }

  return async function authenticateStage(req, _res, ctx) {
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
    const known = refused.get(key, nowMs / 1000)
    if (known !== undefined) throw known
    ctx.identity = (await verifyOnce(key, found.token, nowMs)).identity
  }
}
