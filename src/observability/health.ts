// The operational routes: /healthz (the process answers), /readyz (it can do useful work), /metrics. No token needed.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { catalogue } from '../errors/catalogue.js'
import { GatewayError } from '../errors/gateway-error.js'
import { sendError } from '../errors/send-error.js'
import { HANDLED, type Stage, type StageResult } from '../request-context.js'
import { requestIdOf } from './request-id.js'

const { NOT_READY } = catalogue

export interface ReadinessCheck {
  name: string
  /** A reason when not ready, undefined when ready. Must be cheap: probes run often (slow checks run in the background). */
  check(): string | undefined
}

/** Answers an ops route and returns true, or returns false for any other request. */
type OpsAnswer = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>

/** What /metrics serves: a prom-client registry, or the primary's aggregation of its workers' registries. */
export interface MetricsSource {
  readonly contentType: string
  metrics(): Promise<string>
}

/** `metrics`: served on /metrics; absent, /metrics is not an ops route here. */
export function opsRoutes(checks: readonly ReadinessCheck[], metrics?: MetricsSource): OpsAnswer {
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false
    const url = req.url ?? ''
    const query = url.indexOf('?')
    const path = query === -1 ? url : url.slice(0, query)
    if (path === '/healthz') return answer(res, 200, { status: 'ok' })
    if (path === '/readyz') return answerReadiness(res, checks)
    if (path === '/metrics' && metrics) return answerMetrics(res, metrics)
    return false
  }
}

/** The ops routes as the first pipeline stage on the main port. */
export function healthRoutes(ops: OpsAnswer): Stage {
  return function healthStage(req, res): StageResult | Promise<StageResult> {
    const answered = ops(req, res)
    if (answered === false) return undefined
    return answered === true ? HANDLED : answered.then((): StageResult => HANDLED)
  }
}

/** The whole admin listener: ops routes, 404 for anything else. */
export function adminHandler(ops: OpsAnswer): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async function adminRequest(req, res) {
    if (!(await ops(req, res))) sendError(res, new GatewayError('NOT_FOUND'), requestIdOf(req))
  }
}

function answerReadiness(res: ServerResponse, checks: readonly ReadinessCheck[]): true {
  const reasons = checks.flatMap(({ name, check }) => {
    const reason = check()
    return reason ? [`${name}: ${reason}`] : []
  })
  return reasons.length === 0
    ? answer(res, 200, { status: 'ready' })
    : answer(res, NOT_READY.status, {
        status: 'not ready',
        error_code: NOT_READY.errorCode,
        message: reasons.join('; '),
        reasons,
      })
}

async function answerMetrics(res: ServerResponse, source: MetricsSource): Promise<true> {
  const text = await source.metrics()
  res.writeHead(200, { 'Content-Type': source.contentType, 'Content-Length': Buffer.byteLength(text) })
  res.end(text)
  return true
}

function answer(res: ServerResponse, status: number, body: object): true {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) })
  res.end(text)
  return true
}
