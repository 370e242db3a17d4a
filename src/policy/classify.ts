// classify: method + path → RouteMatch, by walking the route table (compiled once into segment matchers).
import type { RouteMatch } from './route-match.js'
import { routes as defaultRoutes, type RouteDefinition } from './routes.js'

type Segment = { literal: string } | { capture: 'topic' | 'partition' | 'group' | 'instance' | 'cluster' }
interface CompiledRoute {
  definition: RouteDefinition
  segments: readonly Segment[]
}

export type Classifier = (method: string, pathname: string) => RouteMatch

const UNMATCHED: RouteMatch = Object.freeze({ kind: 'other', name: 'unmatched' })

export function createClassifier(routes: readonly RouteDefinition[] = defaultRoutes): Classifier {
  const byLength = new Map<number, CompiledRoute[]>()
  for (const definition of routes) {
    const segments = splitPath(definition.path).map(compileSegment)
    const list = byLength.get(segments.length) ?? []
    list.push({ definition, segments })
    byLength.set(segments.length, list)
  }
  return function classify(method, pathname) {
    const parts = splitPath(pathname)
    for (const route of byLength.get(parts.length) ?? []) {
      if (route.definition.method !== method) continue
      const match = matchRoute(route, parts)
      if (match) return match
    }
    return UNMATCHED
  }
}

function splitPath(pathname: string): string[] {
  return pathname === '/' ? [] : pathname.slice(1).split('/')
}

function compileSegment(segment: string): Segment {
  const capture = /^\{(topic|partition|group|instance|cluster)\}$/.exec(segment)?.[1]
  return capture ? { capture: capture as 'topic' } : { literal: segment }
}

function matchRoute(route: CompiledRoute, parts: readonly string[]): RouteMatch | undefined {
  const match: RouteMatch = { kind: route.definition.kind, name: route.definition.name }
  for (let i = 0; i < parts.length; i++) {
    const segment = route.segments[i] as Segment
    const part = parts[i] as string
    if ('literal' in segment) {
      if (segment.literal !== part) return undefined
      continue
    }
    if (part === '') return undefined
    if (segment.capture === 'partition') {
      if (!/^\d{1,9}$/.test(part)) return undefined
      match.partition = Number(part)
    } else if (segment.capture !== 'cluster') {
      match[segment.capture] = part
    }
  }
  return match
}
