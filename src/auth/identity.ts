// Identity: who the verified token says the caller is, in the one shape every later stage reads.
import type { JWTPayload } from 'jose'

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
}

export function identityFromClaims(claims: JWTPayload, mapping: ClaimMapping): Identity {
  const subject = claims[mapping.subjectClaim]
  const tenant = mapping.tenantClaim ? claims[mapping.tenantClaim] : undefined
  return {
    subject: typeof subject === 'string' ? subject : String(subject),
    issuer: claims.iss as string,
    tenant: typeof tenant === 'string' ? tenant : undefined,
    scopes: scopesOf(claims),
    expiresAt: claims.exp as number,
  }
}

/** `scope` is a space-separated string (RFC 8693); some providers send an `scp` array instead. */
function scopesOf(claims: JWTPayload): string[] {
  if (typeof claims.scope === 'string') return claims.scope.split(' ').filter(Boolean)
  if (Array.isArray(claims.scp)) return claims.scp.filter((scope): scope is string => typeof scope === 'string')
  return []
}
