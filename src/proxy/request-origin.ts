// The origin a client used to reach the gateway (scheme and host), from validated input only.
import type { IncomingMessage } from 'node:http'
import { GatewayError } from '../errors/gateway-error.js'
import { isValidHost } from './host-header.js'

export interface RequestOrigin {
  proto: 'http' | 'https'
  /** host[:port]; undefined only for an HTTP/1.0 request without Host. */
  host: string | undefined
}

/**
 * With `trustedHops` proxies in front (`rateLimit.trustProxy`), the nearest proxy's `X-Forwarded-Proto` and
 * `X-Forwarded-Host` are believed when they are well-formed (the last entry of each: the one that proxy wrote).
 * Otherwise the scheme is the connection's and the host is the `Host` header, which must be a valid host[:port]:
 * a Host with userinfo, a path or a query is refused with 400 rather than allowed to shape a URL.
 */
export function requestOrigin(req: IncomingMessage, trustedHops: number): RequestOrigin {
  const connection = 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http'
  const trusted = trustedHops > 0
  const forwardedProto = trusted ? lastEntry(req.headers['x-forwarded-proto'])?.toLowerCase() : undefined
  const forwardedHost = trusted ? lastEntry(req.headers['x-forwarded-host']) : undefined
  const proto = forwardedProto === 'http' || forwardedProto === 'https' ? forwardedProto : connection
  if (forwardedHost !== undefined && isValidHost(forwardedHost)) return { proto, host: forwardedHost }
  const host = req.headers.host
  if (host === undefined) return { proto, host: undefined }
  if (!isValidHost(host)) {
    throw new GatewayError('BAD_REQUEST', {
      message: 'The Host header must be a host name or address with an optional port (no user, path or query)',
    })
  }
  return { proto, host }
}

/** The entry the nearest proxy appended to a comma-separated forwarding header. */
function lastEntry(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined
  const joined = Array.isArray(header) ? header.join(',') : header
  return joined.slice(joined.lastIndexOf(',') + 1).trim()
}
