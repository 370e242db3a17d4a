// Security headers for a JSON API, chosen with helmet once at start-up and replayed on every answer.
import type { IncomingMessage, ServerResponse } from 'node:http'
import helmet from 'helmet'
import type { Stage } from '../request-context.js'

/**
 * A JSON API renders no documents: the CSP forbids everything and framing, and the document-only headers are off. The
 * resource policy is `cross-origin`, so browser apps on allowed origins can read answers (CORS decides who may).
 */
const HELMET_OPTIONS = {
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  crossOriginResourcePolicy: { policy: 'cross-origin' },
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xFrameOptions: { action: 'deny' },
} as const satisfies Parameters<typeof helmet>[0]

interface HeaderPlan {
  set: Array<[string, string]>
  remove: string[]
}

/** helmet's answer does not depend on the request (no nonces here): record it once instead of running it per request. */
export function recordHelmetHeaders(): HeaderPlan {
  const plan: HeaderPlan = { set: [], remove: [] }
  const recorder = {
    setHeader: (name: string, value: string) => plan.set.push([name, value]),
    removeHeader: (name: string) => plan.remove.push(name),
  }
  helmet(HELMET_OPTIONS)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error
  })
  return plan
}

export function securityHeaders(): Stage {
  const { set, remove } = recordHelmetHeaders()
  return function securityHeadersStage(_req, res) {
    for (const name of remove) res.removeHeader(name)
    for (const [name, value] of set) res.setHeader(name, value)
  }
}
