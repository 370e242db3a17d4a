// verifyToken: token → verdict (verified identity, or the reason it is refused), choosing the issuer by the unverified
// `iss` before any key is fetched.
import { GatewayError } from '../errors/gateway-error.js'
import type { Verified } from './issuer-verifier.js'
import type { Issuers } from './issuers.js'
import { parseToken } from './parse-token.js'
import { REASONS } from './refusals.js'

/** A verdict on the token itself. The gateway's own state (no keys loaded) is thrown as a GatewayError instead. */
export type Verdict = { ok: true; verified: Verified } | { ok: false; reason: string }

export type TokenVerifier = (token: string, nowMs: number) => Promise<Verdict>

export function createTokenVerifier(issuers: Issuers, maxTokenBytes: number): TokenVerifier {
  return async function verifyToken(token, nowMs) {
    const parsed = parseToken(token, maxTokenBytes)
    if (!parsed.ok) return parsed
    const verifier = issuers.get(parsed.token.issuer)
    if (!verifier) return { ok: false, reason: REASONS.unknownIssuer }
    try {
      return { ok: true, verified: await verifier.verify(token, parsed.token, nowMs) }
    } catch (error) {
      if (error instanceof GatewayError) throw error
      return { ok: false, reason: reasonOf(error) }
    }
  }
}

const reasonByJoseCode: Readonly<Record<string, string>> = {
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: REASONS.signature,
  ERR_JWKS_NO_MATCHING_KEY: REASONS.unknownKey,
  ERR_JOSE_ALG_NOT_ALLOWED: REASONS.algorithm,
  ERR_JWS_INVALID: REASONS.malformed,
  ERR_JWT_INVALID: REASONS.malformed,
}

const reasonByClaim: Readonly<Record<string, string>> = {
  aud: REASONS.audience,
  iss: REASONS.issuer,
  nbf: REASONS.notYetValid,
  iat: REASONS.notYetValid,
  exp: REASONS.expired,
  typ: REASONS.type,
}

/** jose's error → a fixed reason; the claim names that can appear come from the config or the JWT standard. */
function reasonOf(error: unknown): string {
  const { code, claim, reason } = error as { code?: string; claim?: string; reason?: string }
  if (code === 'ERR_JWT_EXPIRED') return claim === 'iat' ? REASONS.tooOld : REASONS.expired
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && claim) {
    if (reason === 'missing') return `missing claim ${claim}`
    // `invalid`: the claim has the wrong type (a string `exp`); `check_failed`: its value is refused.
    return (reason === 'check_failed' && reasonByClaim[claim]) || `invalid claim ${claim}`
  }
  return (code && reasonByJoseCode[code]) || REASONS.invalid
}
