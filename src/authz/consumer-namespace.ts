// Which upstream namespace (v1 or v2 consumer API) a consumer request is about: they hold instances separately.
import type { IncomingHttpHeaders } from 'node:http'
import { parseAccept } from '../policy/media-type.js'
import type { RouteName } from '../policy/routes.js'

/**
 * The REST proxy keeps v1 and v2 consumer instances in two separate managers: the same group and instance name can
 * exist in both, owned by different callers. The Content-Type of the create picks the manager.
 */
export type ConsumerNamespace = 'v1' | 'v2'

export const NAMESPACES: readonly ConsumerNamespace[] = ['v1', 'v2']

const VERSIONED = /^application\/vnd\.kafka(?:\.[a-z]+)?\.(v[12])\+json$/

/** Instance routes only one API version serves; checked against the route table, so a renamed route fails to build. */
const ROUTE_NAMESPACE: Readonly<Record<string, ConsumerNamespace>> = {
  'consume-v1': 'v1',
  'consume-v2': 'v2',
  'offsets-committed': 'v2',
  subscribe: 'v2',
  'subscription-get': 'v2',
  unsubscribe: 'v2',
  assign: 'v2',
  'assignments-get': 'v2',
  seek: 'v2',
  'seek-beginning': 'v2',
  'seek-end': 'v2',
} satisfies Partial<Record<RouteName, ConsumerNamespace>>

/** A create with a v2 Content-Type makes a v2 instance; every other accepted type (or none) a v1 instance. */
export function createNamespace(headers: IncomingHttpHeaders): ConsumerNamespace {
  return versionOf(essence(headers['content-type'])) === 'v2' ? 'v2' : 'v1'
}

/**
 * The namespace an instance request reaches, or undefined when the request does not say for sure: a route both versions
 * serve (delete, commit) whose headers do not pick one version. The upstream then picks one by rules the gateway does not
 * rely on, so the caller must be entitled in both (see consumer-ownership.ts). A versioned Content-Type picks its
 * version unless Accept also names the other. Without one, Jersey picks the method whose response types the client
 * weighs highest, and a range that names no version (`*\/*`, `application/json`, `application/vnd.kafka+json`) may
 * select either: the version Accept names must outweigh every other range, and a zero weight names nothing.
 */
export function instanceNamespace(routeName: string, headers: IncomingHttpHeaders): ConsumerNamespace | undefined {
  const byRoute = ROUTE_NAMESPACE[routeName]
  if (byRoute) return byRoute
  const contentType = headers['content-type']
  const byContentType = versionOf(essence(contentType))
  if (contentType !== undefined && byContentType === undefined) return undefined
  const ranges = headers.accept === undefined ? [] : parseAccept(headers.accept)
  if (ranges === undefined) return undefined
  const weights = { v1: 0, v2: 0, other: 0 }
  for (const range of ranges) {
    const key = versionOf(range.essence) ?? 'other'
    weights[key] = Math.max(weights[key], range.q)
  }
  if (byContentType) return weights[byContentType === 'v1' ? 'v2' : 'v1'] > 0 ? undefined : byContentType
  const [best, rival] = weights.v1 > weights.v2 ? (['v1', 'v2'] as const) : (['v2', 'v1'] as const)
  return weights[best] > weights[rival] && weights[best] > weights.other ? best : undefined
}

function versionOf(type: string): ConsumerNamespace | undefined {
  return VERSIONED.exec(type)?.[1] as ConsumerNamespace | undefined
}

/** Lower-cased `type/subtype` without parameters, read leniently like the upstream does; '' when absent. */
function essence(value: string | undefined): string {
  return (value ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
}
