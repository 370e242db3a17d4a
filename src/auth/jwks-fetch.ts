// fetchJwks: one bounded JWKS download (timeout, size cap, no redirects) reduced to the keys that may verify signatures;
// fetchJson: the bounded download itself, also used for OIDC discovery documents.
import type { JSONWebKeySet, JWK } from 'jose'
import { boundedGet } from './bounded-get.js'

export interface FetchJwksOptions {
  timeoutMs: number
  maxBytes: number
  /** Aborts the download when the gateway closes. */
  signal: AbortSignal
}

/** Throws an Error whose message is safe to log (no key material, no response body). */
export async function fetchJwks(url: string, options: FetchJwksOptions): Promise<JSONWebKeySet> {
  const parsed = await fetchJson(url, options, 'JWKS', 'application/jwk-set+json, application/json')
  const keys = (parsed as { keys?: unknown } | null)?.keys
  if (!Array.isArray(keys)) throw new Error('JWKS has no "keys" array')
  const usable = keys.filter(isVerificationKey)
  if (usable.length === 0) throw new Error('JWKS has no usable signature verification key')
  return { keys: usable }
}

/**
 * One bounded GET of a JSON document from an identity provider (key set, discovery document): timeout, size cap, no
 * redirects. Errors start with `what` and never quote the body.
 */
export async function fetchJson(
  url: string,
  options: FetchJwksOptions,
  what: string,
  accept: string,
): Promise<unknown> {
  const text = await boundedGet(url, { ...options, accept }, what)
  try {
    return JSON.parse(text)
  } catch {
    throw new Error(`${what} is not JSON`)
  }
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'] as const

/**
 * Public asymmetric signature keys only: `use` absent or `sig`, no symmetric (`oct`) or private key material. Which key
 * fits a token (`kid`, `alg`, `kty`, curve) is decided per token by jose's local key set.
 */
export function isVerificationKey(value: unknown): value is JWK {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const jwk = value as JWK
  if (jwk.kty !== 'RSA' && jwk.kty !== 'EC' && jwk.kty !== 'OKP') return false
  if (jwk.use !== undefined && jwk.use !== 'sig') return false
  return PRIVATE_MEMBERS.every((member) => !(member in jwk))
}
