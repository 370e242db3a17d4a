// The credential swap: drop every client credential and hop-by-hop header, then set the upstream key.
import type { IncomingHttpHeaders } from 'node:http'

/**
 * Removed before forwarding. The client's `Connection` header is dropped with the fixed hop-by-hop set but the names it
 * lists are NOT honoured: `Connection: X-Auth-Token` must not remove the injected key, and `Connection: Content-Type`
 * must not change what the policy judged. `Transfer-Encoding` stays: it frames the streamed body.
 */
const REMOVED_HEADERS = [
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
  // Forwarding headers (X-Forwarded-*, Forwarded, X-Original-URL...) are replaced by forwarding-headers.ts.
] as const

export function swapCredentials(headers: IncomingHttpHeaders, upstreamKey: string): void {
  for (const name of REMOVED_HEADERS) if (name in headers) delete headers[name]
  headers['x-auth-token'] = upstreamKey
}
