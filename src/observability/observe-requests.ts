// The observe stage: counts a request in flight, and when its response closes, records its metrics and access-log line.
import type { ServerResponse } from 'node:http'
import { contextOf, type Stage } from '../request-context.js'
import { logAccess } from './access-log.js'
import type { Logger } from './logger.js'
import type { GatewayMetrics } from './metrics.js'

export function observeRequests(logger: Logger, metrics: GatewayMetrics): Stage {
  // One shared listener (`this` is the response) instead of a closure per request.
  function onClose(this: ServerResponse): void {
    const req = this.req
    const ctx = contextOf(req)
    const durationMs = Number(process.hrtime.bigint() - ctx.startedAt) / 1e6
    const { upstreamSentAt: sent, upstreamAnsweredAt: answered } = ctx
    const upstreamMs = sent !== undefined && answered !== undefined ? Number(answered - sent) / 1e6 : undefined
    const route = ctx.route?.kind ?? 'unclassified'
    metrics.requestFinished(route, this.statusCode, durationMs / 1000, upstreamMs && upstreamMs / 1000)
    logAccess(logger, req, this, ctx, durationMs, upstreamMs)
  }
  return function observeStage(_req, res) {
    metrics.requestStarted()
    // `on`, not `once`: 'close' fires once anyway, and `once` would allocate a wrapper per request.
    res.on('close', onClose)
  }
}
