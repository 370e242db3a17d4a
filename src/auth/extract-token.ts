// Finds the caller's token: `Authorization: Bearer`, the bare `X-Auth-Token` (Message Hub clients), or, if enabled, the
// `access_token` query parameter, which is removed from the URL in every case.
import type { IncomingMessage } from 'node:http'
import { takeQueryTokens } from './query-token.js'

export type ExtractedToken =
  | { kind: 'token'; token: string }
  /** No credential, or only one in another scheme (`Basic …`). */
  | { kind: 'none'; otherScheme: boolean }
  /** Two different tokens (in two places, or a repeated header). */
  | { kind: 'conflict' }
  /** A token in the query string while that is not enabled. */
  | { kind: 'in-url' }

export interface TokenSources {
  xAuthToken: boolean
  queryToken: boolean
}

// The scheme is case-insensitive (RFC 9110 §11.1); an empty or odd value is still a bearer token, refused as malformed.
const BEARER = /^bearer(?:[ \t]+(.*))?$/i

export function createTokenExtractor({
  xAuthToken,
  queryToken,
}: TokenSources): (req: IncomingMessage) => ExtractedToken {
  return function extractToken(req) {
    const found: string[] = []
    const fromUrl = req.url === undefined ? undefined : takeQueryTokens(req.url)
    if (fromUrl) {
      stripFromUrls(req, fromUrl.url)
      if (!queryToken) return { kind: 'in-url' }
      found.push(...fromUrl.tokens)
    }
    const authorization = req.headers.authorization
    const bearer = authorization === undefined ? undefined : BEARER.exec(authorization)
    if (bearer) found.push(bearer[1] ?? '')
    const xToken = xAuthToken ? req.headers['x-auth-token'] : undefined
    // Node joins a repeated header with ", "; a JWT never contains a comma.
    if (typeof xToken === 'string') {
      if (xToken.includes(', ')) found.push(...xToken.split(', '))
      else found.push(xToken)
    }

    if (found.length === 0) return { kind: 'none', otherScheme: authorization !== undefined }
    const token = found[0] as string
    for (let i = 1; i < found.length; i++) if (found[i] !== token) return { kind: 'conflict' }
    return { kind: 'token', token }
  }
}

/** Express keeps the URL it received in `originalUrl`; neither may keep the token. */
function stripFromUrls(req: IncomingMessage & { originalUrl?: string }, url: string): void {
  if (req.originalUrl !== undefined) req.originalUrl = takeQueryTokens(req.originalUrl)?.url ?? req.originalUrl
  req.url = url
}
