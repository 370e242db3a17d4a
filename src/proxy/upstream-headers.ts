// The upstream request's headers, built in one pass over the client's as a flat list (which Node writes without
// re-validating each): the client's credentials, hop-by-hop and forwarding headers left out, the upstream key and the
// gateway's own forwarding headers put in. The client's request stays as it came: deleting from `req.headers` would
// also turn it into a slow dictionary object for everything that reads it later.
import type { IncomingMessage } from 'node:http'
import { gatewayForwardingHeaders, isClientForwardingName } from './forwarding-headers.js'
import { hasBody } from './request-body.js'
import type { RequestOrigin } from './request-origin.js'

/**
 * Never forwarded. The client's `Connection` header is dropped with the fixed hop-by-hop set but the names it lists
 * are NOT honoured: `Connection: X-Auth-Token` must not remove the injected key, and `Connection: Content-Type` must
 * not change what the policy judged. `Transfer-Encoding` stays: it frames the streamed body. `Host` is the upstream's.
 */
export const LEFT_OUT_HEADERS: ReadonlySet<string> = new Set([
  'host',
  'authorization',
  'x-auth-token',
  'cookie',
  'proxy-authorization',
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'upgrade',
  // Routing overrides that some servers honour: never let a client change the method or path after the policy ran.
  'x-http-method-override',
  'x-http-method',
  'x-method-override',
])

/** What does not change between requests. */
export interface UpstreamHeaderSettings {
  /** The upstream's host[:port], sent as `Host`. */
  host: string
  /** `Basic …` for credentials in the upstream URL. */
  basicAuth: string | undefined
  /** `rateLimit.trustProxy`: how many proxies' forwarding headers are believed. */
  trustedHops: number
}

/** What one request adds: the key the credential swap chose, the origin checkHost accepted. */
export interface UpstreamHeaderInput {
  key: string | undefined
  origin: RequestOrigin | undefined
  /** The gateway reads the answer (answer steps): asked for uncompressed. */
  readsAnswer: boolean
}

export function upstreamHeaders(
  req: IncomingMessage,
  settings: UpstreamHeaderSettings,
  { key, origin, readsAnswer }: UpstreamHeaderInput,
): string[] {
  const headers = req.headers
  const list: string[] = ['host', settings.host]
  for (const name in headers) {
    if (LEFT_OUT_HEADERS.has(name) || isClientForwardingName(name)) continue
    if (readsAnswer && name === 'accept-encoding') continue
    const value = headers[name]
    if (value === undefined) continue
    if (typeof value === 'string') list.push(name, value)
    else for (const item of value) list.push(name, item)
  }
  if (key !== undefined) list.push('x-auth-token', key)
  for (const item of gatewayForwardingHeaders(req, settings.trustedHops, origin)) list.push(item)
  // Decoding stays as a fallback for an upstream that compresses anyway.
  if (readsAnswer) list.push('accept-encoding', 'identity')
  if (settings.basicAuth !== undefined) list.push('authorization', settings.basicAuth)
  // A DELETE or OPTIONS without a body states it, as some servers wait for a body otherwise.
  if ((req.method === 'DELETE' || req.method === 'OPTIONS') && !hasBody(req) && headers['content-length'] === undefined)
    list.push('content-length', '0')
  return list
}
