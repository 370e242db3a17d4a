// The authentication refusals: RFC 6750 answers (status, challenge, Kafka-style body) built once per realm.
import { GatewayError } from '../errors/gateway-error.js'
import { bearerChallenge } from './www-authenticate.js'

/** Short, fixed reasons, safe to show a client: never jose's messages, never anything taken from the token. */
export const REASONS = {
  tooLarge: 'the token is too large',
  encrypted: 'encrypted tokens (JWE) are not accepted',
  malformed: 'malformed token',
  critical: 'unsupported critical header',
  unknownIssuer: 'unknown issuer',
  algorithm: 'algorithm not allowed',
  unknownKey: 'unknown signing key',
  signature: 'bad signature',
  expired: 'the token has expired',
  notYetValid: 'the token is not yet valid',
  tooOld: 'the token is too old',
  audience: 'wrong audience',
  issuer: 'wrong issuer',
  type: 'wrong token type',
  invalid: 'invalid token',
} as const

export interface Refusals {
  /** No credential at all, or one in another scheme (RFC 6750 §3.1: no error code then). */
  missing(otherScheme: boolean): GatewayError
  /** Two different tokens in one request. */
  conflict(): GatewayError
  /** A token in the query string while that is not enabled. */
  inUrl(): GatewayError
  invalid(reason: string): GatewayError
  /** The issuer's keys were never loaded: the token cannot be judged yet. */
  unavailable(): GatewayError
}

export function createRefusals(realm: string): Refusals {
  // Header values are built once; reasons are a small closed set (plus claim names from the config), so memoised.
  const missing = { 'WWW-Authenticate': bearerChallenge(realm) }
  const malformedRequest = { 'WWW-Authenticate': bearerChallenge(realm, 'invalid_request') }
  const inUrl = {
    'WWW-Authenticate': bearerChallenge(realm, 'invalid_request', 'tokens in the URL are not accepted'),
  }
  const challenges = new Map<string, Record<string, string>>()
  const invalidHeaders = (reason: string) => {
    let headers = challenges.get(reason)
    if (!headers) {
      headers = { 'WWW-Authenticate': bearerChallenge(realm, 'invalid_token', reason) }
      challenges.set(reason, headers)
    }
    return headers
  }
  return {
    missing: (otherScheme) =>
      new GatewayError('TOKEN_MISSING', {
        headers: missing,
        message: otherScheme ? 'A bearer token is required: the Authorization scheme must be Bearer' : undefined,
      }),
    conflict: () => new GatewayError('TOKEN_CONFLICT', { headers: malformedRequest }),
    inUrl: () => new GatewayError('TOKEN_IN_URL', { headers: inUrl }),
    invalid: (reason) =>
      new GatewayError('TOKEN_INVALID', {
        message: `The token is not valid: ${reason}`,
        headers: invalidHeaders(reason),
        reason,
      }),
    unavailable: () => new GatewayError('KEYS_UNAVAILABLE'),
  }
}
