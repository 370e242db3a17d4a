// One JSON access-log line per request, from an allowlist of fields: headers, tokens and payloads never appear.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { RequestContext } from '../request-context.js'
import type { Logger } from './logger.js'

export function logAccess(logger: Logger, req: IncomingMessage, res: ServerResponse, ctx: RequestContext): void {
  if (!logger.isLevelEnabled('info')) return
  const durationMs = Number(process.hrtime.bigint() - ctx.startedAt) / 1e6
  logger.info({
    msg: 'request',
    requestId: ctx.requestId,
    method: req.method,
    route: ctx.route?.name,
    kind: ctx.route?.kind,
    topic: ctx.route?.topic,
    status: res.statusCode,
    refusal: ctx.refusal,
    subject: ctx.identity?.subject,
    tenant: ctx.identity?.tenant,
    durationMs: Math.round(durationMs * 100) / 100,
    completed: res.writableFinished,
  })
}
