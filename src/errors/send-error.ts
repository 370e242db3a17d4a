// Writes any error as the Kafka-style JSON body; unknown errors become INTERNAL without leaking their details.
import type { ServerResponse } from 'node:http'
import { GatewayError } from './gateway-error.js'

export function toGatewayError(error: unknown): GatewayError {
  return error instanceof GatewayError ? error : new GatewayError('INTERNAL', { cause: error })
}

export function sendError(res: ServerResponse, error: GatewayError, requestId: string): void {
  if (res.headersSent) {
    // A second response cannot be written once a streamed one has started: cut the connection so the client sees it.
    res.destroy()
    return
  }
  const body = error.disguised
    ? JSON.stringify({ error_code: error.errorCode, message: error.message })
    : JSON.stringify({ error_code: error.errorCode, message: error.message, error: error.code, request_id: requestId })
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value)
  if (!error.disguised) res.setHeader('X-Gateway-Error', error.code)
  res.setHeader('Content-Type', 'application/json')
  res.setHeader('Content-Length', Buffer.byteLength(body))
  res.statusCode = error.status
  res.end(body)
}
