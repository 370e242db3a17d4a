// Which routes may be forwarded at all: the configured deny list, and strict mode (only the route table).
import type { Config } from '../config/schema.js'
import { GatewayError } from '../errors/gateway-error.js'
import { quote } from './quote.js'
import type { RouteMatch } from './route-match.js'
import { ANY, ONE, type PatternItem, wildcardMatch } from './wildcard-match.js'

/** A deny pattern compiled once: optional method, then segments where `*` is one segment and `**` any number. */
interface DenyPattern {
  source: string
  method: string | undefined
  segments: readonly PatternItem<string>[]
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
    const lower = patterns.length === 0 ? segments : segments.map((segment) => segment.toLowerCase())
    for (const pattern of patterns) {
      if ((pattern.method === undefined || pattern.method === verb) && wildcardMatch(pattern.segments, lower)) {
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
    // Matched without regard to case: refusing `/ADMIN` as well as `/admin` is the safe side. Matched segment by
    // segment in linear time, however many `**` a pattern has.
    segments: path
      .toLowerCase()
      .split('/')
      .filter(Boolean)
      .map((part) => (part === '**' ? ANY : part === '*' ? ONE : part)),
  }
}
