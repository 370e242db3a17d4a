// OIDC discovery: an issuer configured without a key source publishes where its keys are, in
// `{issuer}/.well-known/openid-configuration`. The document is trusted only if it names exactly the configured issuer.
import { type FetchJwksOptions, fetchJson } from './jwks-fetch.js'

export interface DiscoveryOptions extends Omit<FetchJwksOptions, 'signal'> {
  /** How long a discovered `jwks_uri` is used before the document is fetched again. */
  refreshMs: number
  /** Milliseconds since the epoch. */
  now: () => number
  /** A refresh failed and the last discovered `jwks_uri` stays in use. */
  onStale: (error: Error) => void
}

/** The discovery document's URL: the issuer without a trailing slash, then the well-known path. */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`
}

/**
 * Returns the function that gives the issuer's current `jwks_uri`: fetched on first use, cached for `refreshMs` (`signal`
 * aborts a download when the gateway closes). A failed refresh keeps the last good one; a document that names another
 * issuer, or has no usable `jwks_uri`, ends the use of the cached one.
 */
export function discoveredJwksUrl(issuer: string, options: DiscoveryOptions): (signal: AbortSignal) => Promise<string> {
  const url = discoveryUrl(issuer)
  const what = `OIDC discovery document ${url}`
  let cached: string | undefined
  let fetchedAt = Number.NEGATIVE_INFINITY
  return async (signal) => {
    if (cached !== undefined && options.now() - fetchedAt < options.refreshMs) return cached
    let document: unknown
    try {
      document = await fetchJson(url, { ...options, signal }, what, 'application/json')
    } catch (error) {
      // The provider is down or answers garbage: its keys have not moved because of that.
      if (cached === undefined) throw error
      options.onStale(error as Error)
      fetchedAt = options.now()
      return cached
    }
    // A document that is wrong (another issuer, no usable jwks_uri) also ends the use of an earlier one.
    cached = undefined
    cached = jwksUriOf(document, issuer, what)
    fetchedAt = options.now()
    return cached
  }
}

/** The document's `jwks_uri`, if the document is for exactly this issuer and the URL is usable; `what` starts errors. */
export function jwksUriOf(document: unknown, issuer: string, what: string): string {
  if (typeof document !== 'object' || document === null) throw new Error(`${what} is not a JSON object`)
  const { issuer: named, jwks_uri: jwksUri } = document as Record<string, unknown>
  // A document for another issuer (a typo, a proxy in between, a trailing slash) must not lend it its keys.
  if (named !== issuer) {
    throw new Error(`${what} names the issuer ${JSON.stringify(named)}, not the configured ${JSON.stringify(issuer)}`)
  }
  if (typeof jwksUri !== 'string' || !URL.canParse(jwksUri)) throw new Error(`${what} has no valid "jwks_uri"`)
  const scheme = new URL(jwksUri).protocol.slice(0, -1)
  // An https issuer's keys come over https too.
  const allowed = issuer.startsWith('https:') ? ['https'] : ['https', 'http']
  if (!allowed.includes(scheme)) throw new Error(`${what} has a "jwks_uri" that is not ${allowed.join(' or ')}`)
  return jwksUri
}
