// One JSON access-log line per request, from an allowlist of fields: headers, tokens and payloads never appear.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { RequestContext } from '../request-context.js'
import type { Logger } from './logger.js'

const round = (ms: number) => Math.round(ms * 100) / 100

export function logAccess(
  logger: Logger,
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RequestContext,
  durationMs: number,
  upstreamMs: number | undefined,
): void {
  if (!logger.isLevelEnabled('info')) return
  logger.info({
    msg: 'request',
    requestId: ctx.requestId,
    method: req.method,
    route: ctx.route?.name,
    kind: ctx.route?.kind,
    topic: ctx.route?.topic,
    status: res.statusCode,
    refusal: ctx.refusal,
    // A short fixed text ("the token has expired"), never anything taken from the token.
    reason: ctx.refusalReason,
    subject: ctx.identity?.subject,
    tenant: ctx.identity?.tenant,
    durationMs: round(durationMs),
    upstreamMs: upstreamMs === undefined ? undefined : round(upstreamMs),
    // False when the connection closed before the whole response was written (client gone, upstream cut).
    completed: res.writableFinished,
  })
}
