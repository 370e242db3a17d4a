// Per upstream request: connect timeout (TCP and TLS handshake), inactivity timeout, abort when the client goes away.
import type { ClientRequest, ServerResponse } from 'node:http'
import { TLSSocket } from 'node:tls'
import { CONNECT_TIMEOUT, RESPONSE_TIMEOUT } from '../errors/upstream-failure-reason.js'
import type { RequestContext } from '../request-context.js'

export interface UpstreamTimeouts {
  connectMs: number
  /** Socket inactivity, so a long poll is fine as long as it answers within it. */
  inactivityMs: number
}

export function watchUpstreamRequest(
  proxyReq: ClientRequest,
  res: ServerResponse,
  ctx: RequestContext,
  timeouts: UpstreamTimeouts,
): void {
  ctx.upstreamSentAt = process.hrtime.bigint()
  proxyReq.setTimeout(timeouts.inactivityMs, () => proxyReq.destroy(codedError('upstream timeout', RESPONSE_TIMEOUT)))
  // A client that leaves (during the upload, a long poll or a download) frees its upstream request too.
  res.once('close', () => {
    if (!res.writableFinished) proxyReq.destroy()
  })
  const socket = proxyReq.socket
  // A reused keep-alive socket is already connected: only new connections get a connect timer.
  if (!socket?.connecting) return
  const timer = setTimeout(
    () => proxyReq.destroy(codedError('upstream connect timeout', CONNECT_TIMEOUT)),
    timeouts.connectMs,
  )
  const done = () => clearTimeout(timer)
  socket.once(socket instanceof TLSSocket ? 'secureConnect' : 'connect', done)
  socket.once('close', done)
}

function codedError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code })
}
