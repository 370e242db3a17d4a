// Forwarding headers are the gateway's: every client-sent one is removed, then the gateway writes its own.
import type { IncomingMessage } from 'node:http'
import { isIP } from 'node:net'
import { type RequestOrigin, requestOrigin } from './request-origin.js'

/**
 * THE list of client headers that claim something about the connection, the client's address or the original
 * request, which an upstream or a framework might believe. Removed from every request before it is forwarded, whatever
 * `trustProxy` says (with trust, the gateway reads them first and writes its own versions). Names are lower case.
 */
export const CLIENT_FORWARDING_HEADERS: readonly string[] = [
  'forwarded',
  'via',
  'x-real-ip',
  'x-client-ip',
  'client-ip',
  'true-client-ip',
  'cf-connecting-ip',
  'fastly-client-ip',
  'x-cluster-client-ip',
  'x-proxyuser-ip',
  'x-forwarded',
  'forwarded-for',
  'x-host',
  'x-http-host-override',
  'x-rewrite-url',
  'x-envoy-external-address',
]
/** Every header whose name starts with one of these is removed too (`X-Forwarded-Port`, `X-Original-URL`...). */
const CLIENT_FORWARDING_PREFIXES: readonly string[] = ['x-forwarded-', 'x-original-']

const NAMES = new Set(CLIENT_FORWARDING_HEADERS)

export function isClientForwardingHeader(name: string): boolean {
  return isClientForwardingName(name.toLowerCase())
}

/** For a name already in lower case, as Node gives them in `req.headers`. */
export function isClientForwardingName(lower: string): boolean {
  if (NAMES.has(lower)) return true
  for (const prefix of CLIENT_FORWARDING_PREFIXES) if (lower.startsWith(prefix)) return true
  return false
}

/**
 * The gateway's forwarding headers, as a flat name/value list to append once the client's are left out:
 * `X-Forwarded-For` (the trusted part of the incoming chain when `trustedHops` > 0, then the socket address),
 * `X-Forwarded-Proto` and `X-Forwarded-Host` (see requestOrigin; pass `origin` when it is already known). Throws 400
 * for a Host that is not a valid host[:port].
 */
export function gatewayForwardingHeaders(
  req: IncomingMessage,
  trustedHops: number,
  origin: RequestOrigin = requestOrigin(req, trustedHops),
): string[] {
  const chain = trustedChain(req.headers['x-forwarded-for'], trustedHops)
  const socketAddress = req.socket.remoteAddress
  if (socketAddress) chain.push(socketAddress)
  const list = chain.length > 0 ? ['x-forwarded-for', chain.join(', ')] : []
  list.push('x-forwarded-proto', origin.proto)
  if (origin.host !== undefined) list.push('x-forwarded-host', origin.host)
  return list
}

/** The entries the trusted proxies appended (the last `trustedHops`), kept only when each is an IP address. */
function trustedChain(header: string | string[] | undefined, trustedHops: number): string[] {
  if (trustedHops === 0 || header === undefined) return []
  const entries = (Array.isArray(header) ? header.join(',') : header).split(',').map((entry) => entry.trim())
  return entries.slice(-trustedHops).filter((entry) => isIP(entry) !== 0)
}
