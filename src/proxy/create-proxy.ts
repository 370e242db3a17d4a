// The one http-proxy-middleware instance: keep-alive agent, upstream timeouts, streamed bodies, our response handling.
import http from 'node:http'
import https from 'node:https'
import { Readable } from 'node:stream'
import type { ConnectionOptions } from 'node:tls'
import { createProxyMiddleware, type Plugin } from 'http-proxy-middleware'
import { meterRequest, meterResponse } from '../audit/byte-meter.js'
import type { Config } from '../config/schema.js'
import { GatewayError } from '../errors/gateway-error.js'
import { toGatewayError } from '../errors/send-error.js'
import { type AnswerStep, contextOf, type RequestContext } from '../request-context.js'
import { createUrlRewriter } from './public-origin.js'
import { responseHeaders } from './response-headers.js'
import { baseUriRewrite, sendRewrittenAnswer } from './rewrite-answer.js'
import { upstreamFailure } from './upstream-failure.js'
import { upstreamTarget } from './upstream-target.js'
import { watchUpstreamRequest } from './watch-upstream-request.js'

export interface Proxy {
  forward(req: http.IncomingMessage, res: http.ServerResponse): void
  close(): void
}

export type UpstreamErrorHandler = (error: GatewayError, req: http.IncomingMessage, res: http.ServerResponse) => void

type ProxyServer = Parameters<Plugin<http.IncomingMessage, http.ServerResponse>>[0]

/** `tls`: CA, client certificate and minimum version for an https upstream (see upstream-tls.ts). */
export function createProxy(config: Config, onError: UpstreamErrorHandler, tls: ConnectionOptions = {}): Proxy {
  const isHttps = config.upstream.url.startsWith('https:')
  const agentOptions = { keepAlive: true, maxFreeSockets: 256, scheduling: 'lifo' as const }
  const agent = isHttps ? new https.Agent({ ...agentOptions, ...tls }) : new http.Agent(agentOptions)
  const rewriterFor = createUrlRewriter(config.upstream.url, config.server.publicUrl, config.rateLimit.trustProxy)
  const timeouts = { connectMs: config.upstream.connectTimeoutMs, inactivityMs: config.upstream.timeoutMs }
  let proxyServer: ProxyServer | undefined

  // Given to http-proxy's `web()` on every request (see forward); hpm only builds the proxy server and its plugins.
  const targetOptions = {
    target: upstreamTarget(config.upstream.url),
    changeOrigin: true,
    xfwd: false,
    agent,
    selfHandleResponse: true,
  }
  createProxyMiddleware<http.IncomingMessage, http.ServerResponse>({
    ...targetOptions,
    // Our plugin below replaces hpm's default logger, error page and event wiring.
    ejectPlugins: true,
    plugins: [
      (server) => {
        proxyServer = server
        server.on('proxyReq', (proxyReq, req, res) => watchUpstreamRequest(proxyReq, res, contextOf(req), timeouts))
        server.on('proxyRes', (upstream, req, res) => {
          const ctx = contextOf(req)
          ctx.upstreamAnsweredAt = process.hrtime.bigint()
          if (res.headersSent) {
            // Already answered (shut-down deadline): drop the late upstream answer.
            upstream.destroy()
            return
          }
          if (ctx.bytes) meterResponse(upstream, ctx.bytes)
          const rewrite = rewriterFor(req)
          const headers = responseHeaders(upstream.headers, rewrite, res.getHeader('vary'))
          upstream.on('error', () => res.destroy())
          upstream.on('aborted', () => res.destroy())
          const status = upstream.statusCode ?? 502
          const rewriteAnswer = status >= 200 && status < 300 ? answerRewriteFor(ctx, rewrite, status) : undefined
          if (rewriteAnswer) {
            sendRewrittenAnswer(upstream, res, headers, rewriteAnswer).catch((error: unknown) =>
              onError(toGatewayError(error), req, res),
            )
            return
          }
          res.writeHead(upstream.statusCode ?? 502, headers)
          upstream.pipe(res)
        })
        server.on('error', (error, req, res) => {
          // A GatewayError here was raised by a stage's body transform (a quota cut the upload): answer it as is.
          const gatewayError = error instanceof GatewayError ? error : upstreamFailure(error)
          if ('writeHead' in res) onError(gatewayError, req, res)
        })
        // The client went away: nothing to answer; http-proxy has already aborted the upstream request.
        server.on('econnreset', () => {})
      },
    ],
  })

  // hpm calls its plugins while it is constructed.
  const server = proxyServer as ProxyServer
  return {
    forward(req, res) {
      const ctx = contextOf(req)
      const { body, bodyTransform } = ctx
      if (ctx.bytes && !body) meterRequest(req, ctx.bytes)
      // A stage already read this (small) body: send those exact bytes, since the request stream is consumed.
      // Or a stage meters the body (quotas): the stream goes through its transform.
      const buffer = body ? Readable.from([body]) : bodyTransform ? req.pipe(bodyTransform) : undefined
      // Straight to http-proxy: hpm's middleware wrapper costs three awaits, an options copy and a path match per
      // request, for routing features this gateway does not use. A throw here fails the request like any stage's.
      server.web(req, res, buffer ? { ...targetOptions, buffer } : targetOptions)
    },
    close() {
      agent.destroy()
    },
  }
}

/** The consumer-creation `base_uri` rewrite and the stages' answer steps, in order; undefined when none applies. */
function answerRewriteFor(
  ctx: RequestContext,
  rewriteUrl: (url: string) => string,
  status: number,
): ((answer: unknown) => Promise<unknown>) | undefined {
  const steps: AnswerStep[] = [...(ctx.answerSteps ?? [])]
  if (ctx.route?.name === 'consumer-create') steps.unshift(baseUriRewrite(rewriteUrl))
  if (steps.length === 0) return undefined
  return async (answer) => {
    let current = answer
    let changed = false
    for (const step of steps) {
      const next = await step(current, status)
      if (next === undefined) continue
      current = next
      changed = true
    }
    return changed ? current : undefined
  }
}
