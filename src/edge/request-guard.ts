// The transport guard, run right after the probes and request logging: methods never forwarded, and transport rules
// Node's strict parser leaves to us (request target form, transfer coding, header count, HTTP version, upgrades), so
// the upstream frames and routes every request exactly as the gateway judged it.
import { GatewayError } from '../errors/gateway-error.js'
import type { Stage } from '../request-context.js'

const SLASH = 47
/** After a framing refusal the rest of the bytes on the connection cannot be trusted to start a new request. */
const CLOSE = { Connection: 'close' }
/**
 * TRACE (and IIS's TRACK) make a server echo the request it received, which upstream would include the injected API
 * key; CONNECT asks for a tunnel. None is Kafka REST. Node's own server refuses TRACK and answers CONNECT on a separate
 * event, but an embedding server may hand any of them to the handler.
 */
const ECHO_OR_TUNNEL = new Set(['TRACE', 'TRACK', 'CONNECT'])
export const ALLOWED_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS'

/**
 * No TRACE, TRACK or CONNECT, before anything else (authentication included). Only origin-form targets (`/path`):
 * absolute-form (`http://evil.example/`) and `*` never reach the proxy, so no client can name another host. Only
 * `chunked` as transfer coding: `xchunked` or `gzip` would frame the body differently upstream. No upgrade: Kafka REST
 * has none, and embedded in Express the `upgrade` event may not be ours to handle.
 */
export function requestGuard(limits: { maxHeaders: number }): Stage {
  const maxRawHeaders = limits.maxHeaders * 2
  return function requestGuardStage(req) {
    if (ECHO_OR_TUNNEL.has(req.method ?? '')) {
      throw new GatewayError('METHOD_NOT_ALLOWED', {
        message: `${req.method} is not supported: it is never forwarded`,
        reason: 'method',
        headers: { Allow: ALLOWED_METHODS },
      })
    }
    // llhttp accepts an HTTP/0.9 request line ("GET /path\n"), so a bare LF in the path would turn its tail into headers.
    if (req.httpVersionMajor !== 1) {
      throw new GatewayError('BAD_REQUEST', {
        message: 'Only HTTP/1.0 and HTTP/1.1 are supported',
        reason: 'http version',
        headers: CLOSE,
      })
    }
    if (req.url?.charCodeAt(0) !== SLASH) {
      throw new GatewayError('BAD_REQUEST', {
        message: 'The request target must be a path (origin-form)',
        reason: 'request target',
        headers: CLOSE,
      })
    }
    if (req.rawHeaders.length > maxRawHeaders) {
      throw new GatewayError('HEADERS_TOO_LARGE', {
        message: `The request has more than ${limits.maxHeaders} headers`,
        reason: 'header count',
        headers: CLOSE,
      })
    }
    const transferEncoding = req.headers['transfer-encoding']
    if (transferEncoding !== undefined && transferEncoding.toLowerCase() !== 'chunked') {
      throw new GatewayError('BAD_REQUEST', {
        message: 'Transfer-Encoding must be chunked',
        reason: 'transfer encoding',
        headers: CLOSE,
      })
    }
    if (req.headers.upgrade !== undefined) {
      throw new GatewayError('BAD_REQUEST', {
        message: 'Protocol upgrades are not supported',
        reason: 'upgrade',
        headers: CLOSE,
      })
    }
  }
}
