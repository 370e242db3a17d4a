// One issuer's verifier: algorithm allowlist first, then its keys, then jose's signature and claim checks.
import type { JWTPayload, JWTVerifyOptions } from 'jose'
// jose's subpaths, not its entry point: the entry loads every JWE/JWK/JWS module (about 6 MiB of RSS).
import * as errors from 'jose/errors'
import { jwtVerify } from 'jose/jwt/verify'
import type { IssuerConfig } from '../config/schema.js'
import { type Identity, identityFromClaims } from './identity.js'
import type { KeySource } from './key-source.js'
import type { ParsedToken } from './parse-token.js'

export interface Verified {
  identity: Identity
  /** Seconds since the epoch until which the verdict may be reused: `exp`, or sooner with `maxTokenAgeSeconds`. */
  until: number
  keys: KeySource
  /** The key set revision the token was verified under. */
  revision: number
}

export interface IssuerVerifier {
  readonly config: IssuerConfig
  readonly keys: KeySource
  /** Throws jose errors (mapped to reasons by the caller) or GatewayError KEYS_UNAVAILABLE. */
  verify(token: string, parsed: ParsedToken, nowMs: number): Promise<Verified>
}

export function createIssuerVerifier(config: IssuerConfig, keys: KeySource): IssuerVerifier {
  const algorithms = new Set<string>(config.algorithms)
  const options: JWTVerifyOptions = {
    issuer: config.issuer,
    audience: config.audience,
    algorithms: config.algorithms,
    clockTolerance: config.clockToleranceSeconds,
    maxTokenAge: config.maxTokenAgeSeconds,
    typ: config.typ,
    // A token that never expires is never accepted; the subject is what every later stage keys on.
    requiredClaims: [...new Set(['exp', config.subjectClaim, ...config.requiredClaims])],
  }
  const tolerance = config.clockToleranceSeconds

  return {
    config,
    keys,
    async verify(token, { header }, nowMs) {
      // Before any key lookup: `none`, HS* on an asymmetric issuer (key confusion) and the rest never reach a key.
      if (!algorithms.has(header.alg)) throw new errors.JOSEAlgNotAllowed('algorithm not allowed')
      // Taken before the lookup: a key set that changes meanwhile makes the cached verdict re-checked, never trusted.
      const revision = keys.revision
      const candidates = await keys.keysFor(header)
      const claims = await verifyWithAny(token, candidates, { ...options, currentDate: new Date(nowMs) })
      const nowSeconds = nowMs / 1000
      // jose checks `iat` only with maxTokenAge; a token issued in the future is refused in any case.
      if (typeof claims.iat === 'number' && claims.iat > nowSeconds + tolerance) {
        throw new errors.JWTClaimValidationFailed('iat in the future', claims, 'iat', 'check_failed')
      }
      const identity = identityFromClaims(claims, config)
      const maxAge = config.maxTokenAgeSeconds
      const until = maxAge === undefined ? identity.expiresAt : Math.min(identity.expiresAt, (claims.iat ?? 0) + maxAge)
      return { identity, until, keys, revision }
    },
  }
}

/** Several candidates only for an ambiguous key set (same `kid` twice, or tokens without `kid`). */
async function verifyWithAny(
  token: string,
  candidates: readonly CryptoKey[],
  options: JWTVerifyOptions,
): Promise<JWTPayload> {
  let failure: unknown = new errors.JWKSNoMatchingKey()
  for (const key of candidates) {
    try {
      return (await jwtVerify(token, key, options)).payload
    } catch (error) {
      if (!(error instanceof errors.JWSSignatureVerificationFailed)) throw error
      failure = error
    }
  }
  throw failure
}
