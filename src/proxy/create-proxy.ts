// The forwarder: one upstream request per client request over a keep-alive pool (node:http), streamed both ways, with
// upstream timeouts, one safe retry on a stale pooled connection, and the answer steps for answers the gateway reads.
import http from 'node:http'
import https from 'node:https'
import type { ConnectionOptions } from 'node:tls'
import { meterRequest, meterResponse } from '../audit/byte-meter.js'
import type { Config } from '../config/schema.js'
import { GatewayError } from '../errors/gateway-error.js'
import { toGatewayError } from '../errors/send-error.js'
import { type AnswerStep, contextOf, type RequestContext } from '../request-context.js'
import { type AnswerLimits, baseUriStep, MAX_ANSWER_BYTES, sendAnswerThroughSteps } from './answer-steps.js'
import { createUrlRewriter } from './public-origin.js'
import { hasBody, type RequestBody, requestBody } from './request-body.js'
import { responseHeaders } from './response-headers.js'
import { createUpstreamPool } from './upstream-agent.js'
import { upstreamFailure } from './upstream-failure.js'
import { type UpstreamHeaderSettings, upstreamHeaders } from './upstream-headers.js'
import { upstreamPath, upstreamTarget } from './upstream-target.js'
import { watchUpstreamRequest } from './watch-upstream-request.js'

export interface Proxy {
  /** `onError` answers a failure (the pipeline's error answer). */
  forward(req: http.IncomingMessage, res: http.ServerResponse, onError: UpstreamErrorHandler): void
  close(): void
}

export type UpstreamErrorHandler = (error: GatewayError, req: http.IncomingMessage, res: http.ServerResponse) => void

/** One client request on its way through the forwarder. */
interface Exchange {
  req: http.IncomingMessage
  res: http.ServerResponse
  ctx: RequestContext
  body: RequestBody
  onError: UpstreamErrorHandler
}

/** Failures that mean a pooled connection was already closed by the upstream when the request went out on it. */
const STALE_CONNECTION = new Set(['ECONNRESET', 'EPIPE'])

/** `tls`: CA, client certificate and minimum version for an https upstream (see upstream-tls.ts). */
export function createProxy(config: Config, tls: ConnectionOptions = {}): Proxy {
  const target = upstreamTarget(config.upstream.url)
  const transport = target.isHttps ? https : http
  const pool = createUpstreamPool(target.isHttps, config.upstream.keepAliveTimeoutMs, tls)
  const rewriterFor = createUrlRewriter(config.upstream.url, config.server.publicUrl, config.rateLimit.trustProxy)
  const timeouts = { connectMs: config.upstream.connectTimeoutMs, inactivityMs: config.upstream.timeoutMs }
  const answerLimits: AnswerLimits = { maxBytes: MAX_ANSWER_BYTES, deadlineMs: config.upstream.timeoutMs }
  const headerSettings: UpstreamHeaderSettings = {
    host: target.host,
    basicAuth: target.auth === undefined ? undefined : `Basic ${Buffer.from(target.auth).toString('base64')}`,
    trustedHops: config.rateLimit.trustProxy,
  }
  // What does not depend on the request, for every upstream request; the retry adds its own fresh connection.
  const base = { hostname: target.hostname, port: target.port, ...(target.isHttps ? tls : {}) }

  /** Sends the request upstream; `failed` is the first attempt, when this is the one retry (on a fresh connection). */
  function send(exchange: Exchange, failed?: http.ClientRequest): void {
    const fresh = failed !== undefined
    const { req, res, ctx, body } = exchange
    const proxyReq = transport.request({
      ...base,
      method: req.method,
      path: upstreamPath(target, req.url ?? '/'),
      headers: upstreamHeaders(req, headerSettings, {
        key: ctx.upstreamKey?.value,
        origin: ctx.origin,
        readsAnswer: ctx.answerSteps !== undefined,
      }),
      agent: fresh ? false : pool.agent,
    })
    proxyReq.once('socket', () => watchUpstreamRequest(proxyReq, res, ctx, timeouts))
    proxyReq.once('response', (upstream) => answer(upstream, exchange))
    let reported = false
    proxyReq.on('error', (error) => {
      // One failure per upstream request is answered (a destroyed request can report a second one).
      if (reported) return
      reported = true
      // The client left (its close destroyed this request), or an answer was already sent (shutdown deadline).
      if (res.writableEnded || (res.destroyed && !res.headersSent)) return
      if (res.headersSent) return void res.destroy()
      if (!fresh && body.replayable && isStale(proxyReq, error)) return send(exchange, proxyReq)
      // A GatewayError here was raised by a stage's body transform (a quota cut the upload): answer it as is.
      exchange.onError(error instanceof GatewayError ? error : upstreamFailure(error), req, res)
    })
    body.sendOn(proxyReq, failed)
  }

  function answer(upstream: http.IncomingMessage, { req, res, ctx, body, onError }: Exchange): void {
    ctx.upstreamAnsweredAt = process.hrtime.bigint()
    body.answered()
    pool.noteHint(upstream)
    if (res.headersSent || res.destroyed) {
      // Already answered (shut-down deadline) or the client left: drop the late upstream answer.
      upstream.destroy()
      return
    }
    if (ctx.bytes) meterResponse(upstream, ctx.bytes)
    const status = upstream.statusCode ?? 502
    const headers = responseHeaders(upstream.headers, rewriterFor(req), res.getHeader('vary'))
    if (ctx.answerSteps && status >= 200 && status < 300) {
      sendAnswerThroughSteps(upstream, res, headers, ctx.answerSteps, answerLimits).catch((error: unknown) => {
        if (!res.headersSent && !res.destroyed) onError(toGatewayError(error), req, res)
      })
      return
    }
    // Headers are out: an upstream that breaks off now can only be passed on as a cut connection.
    upstream.once('close', () => {
      if (!upstream.complete) res.destroy()
    })
    res.writeHead(status, headers)
    upstream.pipe(res)
  }

  return {
    forward(req, res, onError) {
      const ctx = contextOf(req)
      if (ctx.route?.name === 'consumer-create') {
        // The client must learn the gateway's address, not the upstream's: the first step, before any stage's.
        const steps: AnswerStep[] = [baseUriStep(rewriterFor(req))]
        if (ctx.answerSteps) steps.push(...ctx.answerSteps)
        ctx.answerSteps = steps
      }
      // Counted as it streams; a body a stage read is counted by that stage, and no body is nothing to count.
      if (ctx.bytes && !ctx.body && hasBody(req)) meterRequest(req, ctx.bytes)
      send({ req, res, ctx, body: requestBody(req, ctx), onError })
    },
    close() {
      pool.destroy()
    },
  }
}

/**
 * A request that failed this way on a pooled connection, before any byte of the answer, went out on a connection the
 * upstream had already closed: it never read the request, so it may go again once on a fresh connection (when its body
 * can be sent again).
 */
function isStale(proxyReq: http.ClientRequest, error: Error): boolean {
  return proxyReq.reusedSocket && STALE_CONNECTION.has((error as NodeJS.ErrnoException).code ?? '')
}
