// Which upstream response headers reach the client, and the Location rewrite to the gateway's public origin.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http'

const DROPPED = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  // Upstream software details are not the client's business: they only help an attacker pick an exploit.
  'server',
  'x-powered-by',
  // The gateway owns CORS (src/edge/cors.ts): an upstream's own `*` must never reach a browser.
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-expose-headers',
  'access-control-max-age',
  'access-control-allow-private-network',
])

/** `ownVary` is the Vary the gateway already set (CORS): writeHead would replace it, so the upstream's is appended. */
export function responseHeaders(
  upstream: IncomingHttpHeaders,
  rewriteUrl: (url: string) => string,
  ownVary?: OutgoingHttpHeaders[string],
): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {}
  for (const name in upstream) {
    if (DROPPED.has(name)) continue
    const value = upstream[name]
    headers[name] = name === 'location' && typeof value === 'string' ? rewriteUrl(value) : value
  }
  if (ownVary !== undefined && headers.vary !== undefined) headers.vary = `${ownVary}, ${headers.vary}`
  return headers
}
