// Inside a host app, a body-parsing middleware mounted before the gateway may already have read the request body.
import { GatewayError } from '../errors/gateway-error.js'
import type { Stage } from '../request-context.js'

/**
 * The gateway forwards bodies byte for byte from the request stream; one that something else read to its end would never
 * arrive, and the request would hang until a timeout. Answered at once instead, naming the cause for the app's owner.
 */
export function unreadBody(): Stage {
  return function unreadBodyStage(req) {
    if (!req.readableEnded || !declaresBody(req.headers)) return
    throw new GatewayError('INTERNAL', {
      message: 'The request body was read before the gateway got it: mount the gateway before body-parsing middleware',
      reason: 'body already read',
    })
  }
}

function declaresBody(headers: { 'transfer-encoding'?: string; 'content-length'?: string }): boolean {
  return headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0
}
