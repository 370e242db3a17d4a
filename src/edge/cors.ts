// The CORS stage: allowlisted origins get CORS headers on every answer (errors too); preflights are answered here.
import type { Config } from '../config/schema.js'
import { GatewayError } from '../errors/gateway-error.js'
import { HANDLED, type Stage } from '../request-context.js'
import { createOriginMatcher } from './origin-matcher.js'

export const ALLOWED_METHODS = 'GET, POST, DELETE, OPTIONS'
export const ALLOWED_HEADERS =
  'Authorization, X-Auth-Token, Content-Type, Accept, X-Request-Id, traceparent, tracestate'
/** What a browser app needs to read a refusal: why (401/429) and when to retry. */
export const EXPOSED_HEADERS =
  'RateLimit, RateLimit-Policy, Retry-After, WWW-Authenticate, X-Request-Id, X-Gateway-Error'

/**
 * Runs before every stage that judges the request (Host, route, token, limits), so the headers it sets stay on their
 * refusals (sendError keeps what is already set); only the transport guard and the unread-body check refuse earlier. A
 * preflight carries no credentials by design (Fetch standard): it is answered here, before authentication, and never
 * reaches the upstream. A preflight from an origin not on the list is refused without CORS headers, so the browser
 * blocks the real request; a simple request from such an origin goes on, without CORS headers, and the browser keeps
 * its answer from the page.
 */
export function cors(config: Config['cors']): Stage {
  const isAllowed = createOriginMatcher(config.origins)
  const credentials = config.credentials
  const maxAge = String(config.maxAgeSeconds)

  return function corsStage(req, res) {
    // Answers differ by Origin, so caches must key on it: on every answer, allowed or not.
    res.setHeader('Vary', 'Origin')
    const origin = req.headers.origin
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined
    if (origin === undefined || !isAllowed(origin)) {
      if (preflight) throw new GatewayError('ORIGIN_NOT_ALLOWED')
      return
    }
    res.setHeader('Access-Control-Allow-Origin', origin)
    if (credentials) res.setHeader('Access-Control-Allow-Credentials', 'true')
    if (!preflight) {
      res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS)
      return
    }
    res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS)
    res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS)
    res.setHeader('Access-Control-Max-Age', maxAge)
    res.statusCode = 204
    res.end()
    return HANDLED
  }
}
