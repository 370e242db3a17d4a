// Which routes may be forwarded at all: the configured deny list, and strict mode (only the route table).
import type { Config } from '../config/schema.js'
import { GatewayError } from '../errors/gateway-error.js'
import { quote } from './quote.js'
import type { RouteMatch } from './route-match.js'

/** A deny pattern compiled once: optional method, then segments where `*` is one segment and `**` any number. */
interface DenyPattern {
  source: string
  method: string | undefined
  segments: readonly string[]
}

export type RouteFilter = (method: string, segments: readonly string[], route: RouteMatch) => void

export function createRouteFilter(config: Config['policy']): RouteFilter {
  const patterns = config.deny.map(compilePattern)
  return function filterRoute(method, segments, route) {
    if (config.strict && route.name === 'unmatched') {
      throw new GatewayError('ROUTE_DENIED', {
        message: `Refused ${describe(method, segments)}: it is not a Kafka REST route this gateway forwards (policy.strict is on); allowed: the Kafka REST v1/v2 routes and the v3 API`,
      })
    }
    // A HEAD runs the GET method upstream, so a pattern for GET covers it.
    const verb = method === 'HEAD' ? 'GET' : method
    for (const pattern of patterns) {
      if ((pattern.method === undefined || pattern.method === verb) && matches(pattern.segments, segments, 0, 0)) {
        throw new GatewayError('ROUTE_DENIED', {
          message: `Refused ${describe(method, segments)}: denied by the gateway's policy (policy.deny: ${pattern.source})`,
        })
      }
    }
  }
}

function describe(method: string, segments: readonly string[]): string {
  return quote(`${method} /${segments.join('/')}`)
}

function compilePattern(source: string): DenyPattern {
  const [first = '', second] = source.split(' ')
  const path = second ?? first
  return {
    source,
    method: second === undefined ? undefined : first.toUpperCase(),
    // Matched without regard to case: refusing `/ADMIN` as well as `/admin` is the safe side.
    segments: path.toLowerCase().split('/').filter(Boolean),
  }
}

function matches(pattern: readonly string[], segments: readonly string[], p: number, s: number): boolean {
  if (p === pattern.length) return s === segments.length
  const part = pattern[p]
  if (part === '**') {
    for (let next = s; next <= segments.length; next++) if (matches(pattern, segments, p + 1, next)) return true
    return false
  }
  if (s === segments.length) return false
  return (part === '*' || part === (segments[s] as string).toLowerCase()) && matches(pattern, segments, p + 1, s + 1)
}
