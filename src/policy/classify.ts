// classify: method + decoded path segments → RouteMatch, by walking the route table compiled once into segment matchers.
// Route words are compared without regard to case, so `/TOPICS/t` is judged as the produce route it may become upstream.
import type { RouteMatch } from './route-match.js'
import { routes as defaultRoutes, type RouteDefinition, type RouteName } from './routes.js'

type Capture = 'topic' | 'partition' | 'group' | 'instance' | 'cluster' | 'broker' | 'config' | 'consumer'
/** The captures whose value the policy and the authorizer read; the others only hold a segment's place. */
type Named = 'topic' | 'group' | 'instance'
type Segment = { literal: string } | { capture: Capture }
interface CompiledRoute {
  definition: RouteDefinition<RouteName>
  segments: readonly Segment[]
}

export type Classifier = (method: string, segments: readonly string[]) => RouteMatch

const UNMATCHED: RouteMatch = Object.freeze({ kind: 'other', name: 'unmatched' })
const CAPTURE = /^\{(topic|partition|group|instance|cluster|broker|config|consumer)\}$/
/** Jersey converts `{partition}` with Integer.valueOf, so a sign and leading zeros still name partition N. */
const PARTITION = /^[+-]?\d{1,10}$/

export function createClassifier(routes: readonly RouteDefinition<RouteName>[] = defaultRoutes): Classifier {
  // Rows grouped by method, then by segment count, so a request is compared with a handful of candidates at most.
  const byMethod = new Map<string, CompiledRoute[][]>()
  for (const definition of routes) {
    const segments = definition.path.split('/').filter(Boolean).map(compileSegment)
    const byLength = byMethod.get(definition.method) ?? []
    byLength[segments.length] = [...(byLength[segments.length] ?? []), { definition, segments }]
    byMethod.set(definition.method, byLength)
  }
  return function classify(method, segments) {
    // JAX-RS answers HEAD with the GET method (and runs it), so a HEAD is judged as the GET it becomes.
    const candidates = byMethod.get(method === 'HEAD' ? 'GET' : method)?.[segments.length]
    if (candidates === undefined) return UNMATCHED
    // A lenient upstream, or a proxy on the way that lower-cases paths, would route `/Topics/t` like `/topics/t`.
    const words = segments.map((segment) => segment.toLowerCase())
    for (const route of candidates) {
      const match = matchRoute(route, segments, words)
      if (match) return match
    }
    return UNMATCHED
  }
}

function compileSegment(segment: string): Segment {
  const capture = CAPTURE.exec(segment)?.[1] as Capture | undefined
  return capture ? { capture } : { literal: segment.toLowerCase() }
}

/**
 * A capture takes any segment, including one that is not a valid name or number: the upstream would still route it to
 * the same method, so it must be judged as that route (a bad partition just gets the upstream's 404).
 */
function matchRoute(route: CompiledRoute, parts: readonly string[], words: readonly string[]): RouteMatch | undefined {
  for (let i = 0; i < parts.length; i++) {
    const segment = route.segments[i] as Segment
    if ('literal' in segment && segment.literal !== words[i]) return undefined
  }
  const { kind, name, access } = route.definition
  const match: RouteMatch = { kind, name, access }
  for (let i = 0; i < parts.length; i++) {
    const segment = route.segments[i] as Segment
    const part = parts[i] as string
    if ('literal' in segment) continue
    if (segment.capture === 'partition') {
      if (PARTITION.test(part)) match.partition = Number(part)
    } else if (isNamed(segment.capture)) match[segment.capture] = part
  }
  return match
}

function isNamed(capture: Capture): capture is Named {
  return capture === 'topic' || capture === 'group' || capture === 'instance'
}
