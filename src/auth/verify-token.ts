// verifyToken: token → Identity, choosing the issuer by the unverified `iss` before any key is fetched.
import { decodeJwt } from 'jose'
import { GatewayError } from '../errors/gateway-error.js'
import { type Identity, identityFromClaims } from './identity.js'
import type { IssuerVerifier } from './issuers.js'

/** Short, safe reasons for `error_description`; jose's own messages are never shown to clients. */
const reasonByJoseCode: Readonly<Record<string, string>> = {
  ERR_JWT_EXPIRED: 'the token has expired',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'bad signature',
  ERR_JWKS_NO_MATCHING_KEY: 'no matching signing key',
  ERR_JOSE_ALG_NOT_ALLOWED: 'algorithm not allowed',
  ERR_JWKS_TIMEOUT: 'signing keys unavailable',
  ERR_JOSE_NOT_SUPPORTED: 'unsupported token',
}

const reasonByClaim: Readonly<Record<string, string>> = {
  aud: 'wrong audience',
  iss: 'wrong issuer',
  nbf: 'the token is not yet valid',
  iat: 'the token is not yet valid',
  exp: 'the token has expired',
}

export type InvalidTokenHeaders = (reason: string) => Record<string, string>

export async function verifyToken(
  token: string,
  issuers: ReadonlyMap<string, IssuerVerifier>,
  challenge: InvalidTokenHeaders,
): Promise<Identity> {
  const invalid = (reason: string, cause?: unknown) =>
    new GatewayError('TOKEN_INVALID', {
      message: `The token is not valid: ${reason}`,
      headers: challenge(reason),
      cause,
    })
  let issuer: string | undefined
  try {
    issuer = decodeJwt(token).iss
  } catch (error) {
    throw invalid('malformed token', error)
  }
  const verifier = issuer === undefined ? undefined : issuers.get(issuer)
  if (!verifier) throw invalid('unknown issuer')
  try {
    const claims = await verifier.verify(token)
    return identityFromClaims(claims, verifier.config)
  } catch (error) {
    throw invalid(reasonOf(error), error)
  }
}

function reasonOf(error: unknown): string {
  const { code, claim } = error as { code?: string; claim?: string }
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && claim)
    return reasonByClaim[claim] ?? `missing or invalid claim ${claim}`
  return (code && reasonByJoseCode[code]) || 'invalid token'
}
