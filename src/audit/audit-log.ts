// The audit log: one JSON line per produce, consume, consumer-lifecycle and admin request — who, what, how much; never
// payloads or secrets.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { pino } from 'pino'
import type { Config } from '../config/schema.js'
import type { RouteKind } from '../policy/route-match.js'
import { RecordCounter } from '../ratelimit/record-counter.js'
import type { RequestContext, Stage } from '../request-context.js'

export interface AuditLog {
  /** Registers the line to write when the response finishes or the client goes away. */
  stage: Stage
  /** Flushes and closes the destination. */
  close(): Promise<void>
}

const AUDITED: ReadonlySet<RouteKind> = new Set(['produce', 'consume', 'consumer-lifecycle', 'admin'])

/** Undefined when the audit log is off. */
export function createAuditLog(config: Config['audit']): AuditLog | undefined {
  if (config.output === 'off') return undefined
  const stream = openDestination(config)
  const log = pino({ base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, stream)
  // A response that closes after close() (a straggler) must not write to the ended stream.
  let open = true

  return {
    stage: function auditStage(req, res, ctx) {
      if (!ctx.route || !AUDITED.has(ctx.route.kind)) return
      ctx.bytes = { request: 0, response: 0 }
      if (ctx.route.kind === 'produce') ctx.bytes.records = new RecordCounter()
      res.once('close', () => {
        if (open) log.info(auditEntry(req, res, ctx), 'audit')
      })
    },
    close: () =>
      new Promise((resolve) => {
        open = false
        // stdout is written synchronously and is not ours to close.
        if (config.output === 'stdout') return resolve()
        stream.once('close', () => resolve())
        stream.end()
      }),
  }
}

function openDestination(config: Config['audit']) {
  // Synchronous on stdout, which the main logger shares, so lines from the two never interleave mid-line.
  if (config.output === 'stdout') return pino.destination({ dest: 1, sync: true })
  return pino.destination({ dest: config.file as string, sync: false, mkdir: true, append: true })
}

/** The allowlisted fields: headers, bodies, tokens and keys are never read here, so they cannot appear. */
function auditEntry(req: IncomingMessage, res: ServerResponse, ctx: RequestContext) {
  const route = ctx.route
  const identity = ctx.identity
  const forwarded = ctx.upstreamSentAt !== undefined
  return {
    requestId: ctx.requestId,
    subject: identity?.subject,
    tenant: identity?.tenant,
    issuer: identity?.issuer,
    method: req.method,
    route: route?.name,
    kind: route?.kind,
    topic: route?.topic,
    topics: ctx.topics,
    partition: route?.partition,
    group: route?.group,
    instance: route?.instance,
    // Bytes sent upstream and answered back; none when the gateway answered itself.
    requestBytes: forwarded ? (ctx.body?.length ?? ctx.bytes?.request) : undefined,
    // Known when the policy counted them (v3 body it read) or counted here as the body streamed.
    records: forwarded ? (ctx.records ?? ctx.bytes?.records?.count) : undefined,
    responseBytes: ctx.upstreamAnsweredAt === undefined ? undefined : ctx.bytes?.response,
    status: res.headersSent ? res.statusCode : undefined,
    refusal: ctx.refusal,
    upstreamKey: ctx.upstreamKey?.name,
    upstreamMs: elapsedMs(ctx.upstreamSentAt, ctx.upstreamAnsweredAt),
    durationMs: elapsedMs(ctx.startedAt, process.hrtime.bigint()),
    // A response cut short (client gone, upstream reset) is not a completed request.
    outcome: res.writableFinished ? 'completed' : 'aborted',
  }
}

function elapsedMs(from: bigint | undefined, to: bigint | undefined): number | undefined {
  if (from === undefined || to === undefined) return undefined
  return Math.round(Number(to - from) / 1e4) / 100
}
