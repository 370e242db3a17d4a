// The authenticate stage: token from the request → verified Identity on the context, or a 401/400 refusal.
import type { Config } from '../config/schema.js'
import { GatewayError } from '../errors/gateway-error.js'
import type { Stage } from '../request-context.js'
import { extractToken } from './extract-token.js'
import type { IssuerVerifier } from './issuers.js'
import { createTokenCache } from './token-cache.js'
import { verifyToken } from './verify-token.js'
import { bearerChallenge } from './www-authenticate.js'

export function authenticate(config: Config['auth'], issuers: ReadonlyMap<string, IssuerVerifier>): Stage {
  const cache = createTokenCache(config.tokenCacheSize)
  // Header values that do not depend on the request are built once.
  const missing = { 'WWW-Authenticate': bearerChallenge(config.realm) }
  const malformed = { 'WWW-Authenticate': bearerChallenge(config.realm, 'invalid_request') }
  const invalid = (reason: string) => ({ 'WWW-Authenticate': bearerChallenge(config.realm, 'invalid_token', reason) })

  return async function authenticateStage(req, _res, ctx) {
    const found = extractToken(req.headers, config.xAuthToken)
    if (found.kind === 'none') throw new GatewayError('TOKEN_MISSING', { headers: missing })
    if (found.kind === 'conflict') throw new GatewayError('TOKEN_CONFLICT', { headers: malformed })
    if (found.kind === 'malformed') {
      throw new GatewayError('TOKEN_INVALID', { message: 'The credential is not a bearer token', headers: malformed })
    }
    const nowSeconds = Date.now() / 1000
    const cached = cache.get(found.token, nowSeconds)
    if (cached) {
      ctx.identity = cached
      return
    }
    ctx.identity = await verifyToken(found.token, issuers, invalid)
    cache.set(found.token, ctx.identity)
  }
}
