// fetchJwks: one bounded JWKS download (timeout, size cap, no redirects) reduced to the keys that may verify signatures;
// fetchJson: the bounded download itself, also used for OIDC discovery documents.
import type { JSONWebKeySet, JWK } from 'jose'

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
  const response = await fetch(url, {
    headers: { accept },
    // The URL is configuration (or came from the issuer's own discovery document): a redirect is not followed.
    redirect: 'error',
    signal: AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]),
  }).catch((error: Error) => {
    // undici says only "fetch failed"; the cause says why (refused, reset, redirect).
    throw new Error(`${what} request failed: ${(error.cause as Error | undefined)?.message ?? error.message}`)
  })
  if (!response.ok) {
    await response.body?.cancel()
    throw new Error(`${what} answered HTTP ${response.status}`)
  }
  const text = await readCapped(response, options.maxBytes, what)
  try {
    return JSON.parse(text)
  } catch {
    throw new Error(`${what} is not JSON`)
  }
}

async function readCapped(response: Response, maxBytes: number, what: string): Promise<string> {
  if (Number(response.headers.get('content-length')) > maxBytes) {
    await response.body?.cancel()
    throw new Error(`${what} is larger than ${maxBytes} bytes`)
  }
  const reader = response.body?.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const chunk = await reader?.read()
    if (!chunk || chunk.done) break
    size += chunk.value.byteLength
    if (size > maxBytes) {
      // The rest is never downloaded.
      await reader?.cancel()
      throw new Error(`${what} is larger than ${maxBytes} bytes`)
    }
    chunks.push(chunk.value)
  }
  return Buffer.concat(chunks).toString('utf8')
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
