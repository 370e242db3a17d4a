// Matches a method and path against the route table: a handler with path params, or 404 / 405.
import type { Handler } from './handler-context.js'

export interface RouteDef {
  method: 'GET' | 'POST' | 'DELETE'
  /** Segments starting with ':' are parameters, e.g. '/topics/:topic'. */
  path: string
  handler: Handler
}

export type RouteMatch =
  | { kind: 'found'; handler: Handler; params: Record<string, string> }
  | { kind: 'method-not-allowed' }
  | { kind: 'not-found' }

export function createRouter(routes: RouteDef[]): (method: string, pathname: string) => RouteMatch {
  const compiled = routes.map((route) => ({ ...route, segments: splitPath(route.path) }))
  return (method, pathname) => {
    const segments = decodeSegments(pathname)
    if (!segments) return { kind: 'not-found' }
    let pathMatched = false
    for (const route of compiled) {
      const params = matchSegments(route.segments, segments)
      if (!params) continue
      if (route.method === method) return { kind: 'found', handler: route.handler, params }
      pathMatched = true
    }
    return pathMatched ? { kind: 'method-not-allowed' } : { kind: 'not-found' }
  }
}

/** Path segments without empty ones, so '/topics/' matches '/topics' like Jersey. */
const splitPath = (path: string): string[] => path.split('/').filter((segment) => segment !== '')

function decodeSegments(pathname: string): string[] | undefined {
  try {
    return splitPath(pathname).map((segment) => decodeURIComponent(segment))
  } catch {
    return undefined
  }
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined
  const params: Record<string, string> = {}
  for (const [index, expected] of pattern.entries()) {
    const segment = actual[index] ?? ''
    if (expected.startsWith(':')) params[expected.slice(1)] = segment
    else if (expected !== segment) return undefined
  }
  return params
}
