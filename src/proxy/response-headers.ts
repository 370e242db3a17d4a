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
  // Upstream software details are not the client's business (security.md S3).
  'server',
  'x-powered-by',
])

export function responseHeaders(
  upstream: IncomingHttpHeaders,
  rewriteUrl: (url: string) => string,
): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {}
  for (const name in upstream) {
    if (DROPPED.has(name)) continue
    const value = upstream[name]
    headers[name] = name === 'location' && typeof value === 'string' ? rewriteUrl(value) : value
  }
  return headers
}
