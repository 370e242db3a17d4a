// The checkHost stage: a Host that is not host[:port] is refused before any other work, since it may shape URLs.
import type { Stage } from '../request-context.js'
import { requestOrigin } from './request-origin.js'

/** `trustedHops`: `rateLimit.trustProxy` (a trusted proxy's well-formed X-Forwarded-Host stands in for Host). */
export function checkHost(trustedHops: number): Stage {
  return function checkHostStage(req, _res, ctx) {
    // Kept for the forwarding headers written just before the request goes upstream.
    ctx.origin = requestOrigin(req, trustedHops)
  }
}
