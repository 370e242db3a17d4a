// The operational routes: /healthz (the process answers) and /readyz (it can do useful work). No token needed.
import type { Stage } from '../request-context.js'
import { HANDLED } from '../request-context.js'

export interface ReadinessCheck {
  name: string
  /** A reason when not ready, undefined when ready. Must be cheap: probes run often. */
  check(): string | undefined
}

export function healthRoutes(checks: readonly ReadinessCheck[]): Stage {
  return function healthStage(req, res) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return
    const path = req.url?.split('?', 1)[0]
    if (path === '/healthz') return answer(res, 200, { status: 'ok' })
    if (path !== '/readyz') return
    const reasons = checks.flatMap(({ name, check }) => {
      const reason = check()
      return reason ? [`${name}: ${reason}`] : []
    })
    return reasons.length === 0
      ? answer(res, 200, { status: 'ready' })
      : answer(res, 503, { status: 'not ready', error_code: 50390, message: reasons.join('; '), reasons })
  }
}

function answer(res: Parameters<Stage>[1], status: number, body: object): typeof HANDLED {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) })
  res.end(text)
  return HANDLED
}
