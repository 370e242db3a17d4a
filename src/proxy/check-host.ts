// The checkHost stage: a Host that is not host[:port] may shape URLs, so it is refused before authentication or any
// body is read; the accepted origin is kept on the context.
import type { Stage } from '../request-context.js'
import { requestOrigin } from './request-origin.js'

/** `trustedHops`: `rateLimit.trustProxy` (a trusted proxy's well-formed X-Forwarded-Host stands in for Host). */
export function checkHost(trustedHops: number): Stage {
  return function checkHostStage(req, _res, ctx) {
    // For the forwarding headers written just before the request goes upstream.
    ctx.origin = requestOrigin(req, trustedHops)
  }
}
