// parseToken: the cheap checks made before any issuer or key is touched: size, compact JWS shape, JSON header and claims.
import type { JWTPayload, ProtectedHeaderParameters } from 'jose'
import { REASONS } from './refusals.js'

export interface ParsedToken {
  header: ProtectedHeaderParameters & { alg: string }
  claims: JWTPayload
  /** The unverified `iss`: only used to pick the verifier, which checks it again. */
  issuer: string
}

export type ParseResult = { ok: true; token: ParsedToken } | { ok: false; reason: string }

const BASE64URL = /^[A-Za-z0-9_-]+$/
const BASE64URL_OR_EMPTY = /^[A-Za-z0-9_-]*$/
// Fatal decoding, as jose does: a header jose would refuse is never judged differently here.
const utf8 = new TextDecoder('utf-8', { fatal: true })

export function parseToken(token: string, maxBytes: number): ParseResult {
  // Checked on the string length first: nothing of an oversized token is decoded.
  if (token.length > maxBytes) return refuse(REASONS.tooLarge)
  const parts = token.split('.')
  if (parts.length === 5) return refuse(REASONS.encrypted)
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string]
  if (parts.length !== 3 || !BASE64URL.test(headerPart) || !BASE64URL.test(payloadPart))
    return refuse(REASONS.malformed)
  if (!BASE64URL_OR_EMPTY.test(signaturePart)) return refuse(REASONS.malformed)

  // JSON.parse keeps the last of duplicate keys, exactly like jose: what is checked here is what jose verifies.
  const header = decodeObject(headerPart)
  const claims = decodeObject(payloadPart)
  if (!header || !claims || typeof header.alg !== 'string' || header.alg === '') return refuse(REASONS.malformed)
  if (header.kid !== undefined && typeof header.kid !== 'string') return refuse(REASONS.malformed)
  // The gateway understands no JWS extension (and JWTs must not use `b64`), so any `crit` is refused (RFC 7515 §4.1.11).
  if (header.crit !== undefined) return refuse(REASONS.critical)
  if (typeof claims.iss !== 'string') return refuse(REASONS.unknownIssuer)
  return {
    ok: true,
    token: { header: header as ParsedToken['header'], claims: claims as JWTPayload, issuer: claims.iss },
  }
}

function decodeObject(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(utf8.decode(Buffer.from(part, 'base64url')))
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

function refuse(reason: string): ParseResult {
  return { ok: false, reason }
}
