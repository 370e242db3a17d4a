// Identity: who the verified token says the caller is, in the one shape every later stage reads.
import type { JWTPayload } from 'jose'
import * as errors from 'jose/errors'

export interface Identity {
  subject: string
  issuer: string
  tenant?: string
  scopes: readonly string[]
  /** Token expiry, seconds since the epoch. */
  expiresAt: number
}

export interface ClaimMapping {
  subjectClaim: string
  tenantClaim?: string
  /** Default: `scope` (space-separated string, RFC 8693), else `scp` (array, as some providers send). */
  scopesClaim?: string
}

/** Claims already verified by jose (`exp` and the subject claim present). Throws when the subject is not a string. */
export function identityFromClaims(claims: JWTPayload, mapping: ClaimMapping): Identity {
  const subject = claims[mapping.subjectClaim]
  if (typeof subject !== 'string' || subject === '') {
    throw new errors.JWTClaimValidationFailed('subject must be a string', claims, mapping.subjectClaim, 'invalid')
  }
  const tenant = mapping.tenantClaim ? claims[mapping.tenantClaim] : undefined
  return {
    subject,
    issuer: claims.iss as string,
    // An empty claim is no tenant: a tenant named "" would own every group starting with "." and match tenant rules.
    tenant: typeof tenant === 'string' && tenant !== '' ? tenant : undefined,
    scopes: mapping.scopesClaim ? scopeList(claims[mapping.scopesClaim]) : scopeList(claims.scope ?? claims.scp),
    expiresAt: claims.exp as number,
  }
}

function scopeList(value: unknown): string[] {
  if (typeof value === 'string') return value.split(' ').filter(Boolean)
  if (Array.isArray(value)) return value.filter((scope): scope is string => typeof scope === 'string' && scope !== '')
  return []
}
