// The HTTP(S) server: strict parsing, client timeouts, header limits, and explicit refusals of upgrades and CONNECT.
import http from 'node:http'
import https from 'node:https'
import type { Duplex } from 'node:stream'
import type { SecureContextOptions } from 'node:tls'
import type { ServerConfig } from '../config/schema.js'
import { ALLOWED_METHODS } from '../edge/request-guard.js'
import { GatewayError } from '../errors/gateway-error.js'
import { answerOnSocket } from './answer-on-socket.js'
import { continueOnFirstRead } from './continue-on-read.js'

/** Told about every request refused before it became a request (parse errors, timeouts, upgrades, CONNECT). */
export type RefusalObserver = (error: GatewayError) => void

const UPGRADE_REFUSED = () =>
  new GatewayError('BAD_REQUEST', { message: 'Protocol upgrades are not supported', reason: 'upgrade' })
const CONNECT_REFUSED = () =>
  new GatewayError('METHOD_NOT_ALLOWED', {
    message: 'CONNECT is not supported: it is never forwarded',
    reason: 'connect',
    headers: { Allow: ALLOWED_METHODS },
  })

export function createServer(
  config: ServerConfig,
  listener: http.RequestListener,
  tls: SecureContextOptions | undefined,
  onRefusal: RefusalObserver = () => {},
): http.Server {
  const options: http.ServerOptions = {
    // Node's parser stays strict (no insecureHTTPParser): it refuses CL+TE, duplicate Content-Length, obs-fold, bare CR.
    headersTimeout: config.headersTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    maxHeaderSize: config.maxHeaderBytes,
    // Node enforces the two timeouts above only when it sweeps its connections; the default sweep is every 30 s.
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(config.headersTimeoutMs / 4))),
  }
  const server = tls
    ? https.createServer({ ...options, ...tls, handshakeTimeout: config.headersTimeoutMs }, listener)
    : http.createServer(options, listener)
  // Memory bound only: Node keeps at least this many; the request guard answers 431 above server.maxHeaders.
  server.maxHeadersCount = config.maxHeaders + 1
  const refuse = (socket: Duplex, error: GatewayError) => {
    onRefusal(error)
    answerOnSocket(socket, error)
  }
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const answer = clientErrorAnswer(error.code)
    if (!answer || !socket.writable || responseStarted(socket)) socket.destroy()
    else refuse(socket, answer)
  })
  // With a listener here Node no longer sends `100 Continue` on its own: the gateway sends it when it reads the body.
  server.on('checkContinue', (req: http.IncomingMessage, res: http.ServerResponse) => {
    continueOnFirstRead(req, res)
    server.emit('request', req, res)
  })
  server.on('upgrade', (_req, socket: Duplex) => refuse(socket, UPGRADE_REFUSED()))
  server.on('connect', (_req, socket: Duplex) => refuse(socket, CONNECT_REFUSED()))
  return server
}

/** The answer to a client error, or undefined when the client is gone and nothing should be written. */
function clientErrorAnswer(code: string | undefined): GatewayError | undefined {
  if (code === 'HPE_HEADER_OVERFLOW') return new GatewayError('HEADERS_TOO_LARGE', { reason: 'header size' })
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return new GatewayError('REQUEST_TIMEOUT', { reason: 'client timeout' })
  if (code?.startsWith('HPE_')) return new GatewayError('BAD_REQUEST', { reason: 'malformed' })
  return undefined
}

/** As Node's own handler: never write a second response on a socket whose response has begun. */
function responseStarted(socket: Duplex): boolean {
  return Boolean((socket as Duplex & { _httpMessage?: http.ServerResponse })._httpMessage?.headersSent)
}
