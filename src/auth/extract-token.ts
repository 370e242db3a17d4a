// Finds the caller's token in `Authorization: Bearer` or the bare `X-Auth-Token` header (Message Hub clients).
import type { IncomingHttpHeaders } from 'node:http'

export type ExtractedToken =
  | { kind: 'token'; token: string }
  | { kind: 'none' }
  /** A credential is present but not a usable bearer token (another scheme, empty value, repeated header). */
  | { kind: 'malformed' }
  /** Both headers carry different tokens. */
  | { kind: 'conflict' }

const BEARER = /^bearer +([^\s]+) *$/i

export function extractToken(headers: IncomingHttpHeaders, acceptXAuthToken: boolean): ExtractedToken {
  const authorization = headers.authorization
  const xAuthToken = acceptXAuthToken ? headers['x-auth-token'] : undefined
  const fromAuthorization = authorization === undefined ? undefined : (BEARER.exec(authorization)?.[1] ?? null)
  // Node joins repeated X-Auth-Token headers with ", "; a token never contains a comma or a space.
  const fromXAuthToken =
    xAuthToken === undefined
      ? undefined
      : typeof xAuthToken === 'string' && /^[^\s,]+$/.test(xAuthToken)
        ? xAuthToken
        : null

  if (fromAuthorization === null || fromXAuthToken === null) return { kind: 'malformed' }
  if (fromAuthorization !== undefined && fromXAuthToken !== undefined && fromAuthorization !== fromXAuthToken) {
    return { kind: 'conflict' }
  }
  const token = fromAuthorization ?? fromXAuthToken
  return token === undefined ? { kind: 'none' } : { kind: 'token', token }
}
