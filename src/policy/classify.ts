// classify: method + decoded path segments → RouteMatch, by walking the route table compiled once into segment matchers.
import type { RouteMatch } from './route-match.js'
import { routes as defaultRoutes, type RouteDefinition } from './routes.js'

type Capture = 'topic' | 'partition' | 'group' | 'instance' | 'cluster'
type Segment = { literal: string } | { capture: Capture }
interface CompiledRoute {
  definition: RouteDefinition
  segments: readonly Segment[]
}

export type Classifier = (method: string, segments: readonly string[]) => RouteMatch

const UNMATCHED: RouteMatch = Object.freeze({ kind: 'other', name: 'unmatched' })
const CAPTURE = /^\{(topic|partition|group|instance|cluster)\}$/
/** Jersey converts `{partition}` with Integer.valueOf, so a sign and leading zeros still name partition N. */
const PARTITION = /^[+-]?\d{1,10}$/

export function createClassifier(routes: readonly RouteDefinition[] = defaultRoutes): Classifier {
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
    for (const route of candidates) {
      const match = matchRoute(route, segments)
      if (match) return match
    }
    return UNMATCHED
  }
}

function compileSegment(segment: string): Segment {
  const capture = CAPTURE.exec(segment)?.[1] as Capture | undefined
  return capture ? { capture } : { literal: segment }
}

/**
 * A capture takes any segment, including one that is not a valid name or number: the upstream would still route it to
 * the same method, so it must be judged as that route (a bad partition just gets the upstream's 404).
 */
function matchRoute(route: CompiledRoute, parts: readonly string[]): RouteMatch | undefined {
  for (let i = 0; i < parts.length; i++) {
    const segment = route.segments[i] as Segment
    if ('literal' in segment && segment.literal !== parts[i]) return undefined
  }
  const match: RouteMatch = { kind: route.definition.kind, name: route.definition.name }
  for (let i = 0; i < parts.length; i++) {
    const segment = route.segments[i] as Segment
    const part = parts[i] as string
    if ('literal' in segment || segment.capture === 'cluster') continue
    if (segment.capture !== 'partition') match[segment.capture] = part
    else if (PARTITION.test(part)) match.partition = Number(part)
  }
  return match
}
