// Error answers written straight to a socket, where Node gives no response object: parse errors, timeouts, upgrades.
import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import type { GatewayError } from '../errors/gateway-error.js'

/** The same Kafka-style body as sendError (without a request id: there is no request), then the connection closes. */
export function answerOnSocket(socket: Duplex, error: GatewayError): void {
  const body = JSON.stringify({ error_code: error.errorCode, message: error.message, error: error.code })
  // The error's own headers are the gateway's constants (e.g. Allow), never request data.
  const extra = Object.entries(error.headers)
    .filter(([name]) => name.toLowerCase() !== 'connection')
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')
  socket.end(
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status]}\r\n` +
      'Content-Type: application/json\r\n' +
      extra +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Gateway-Error: ${error.code}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
    () => socket.destroy(),
  )
}
