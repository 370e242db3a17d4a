// Which upstream namespace (v1 or v2 consumer API) a consumer request is about: they hold instances separately.
import type { IncomingHttpHeaders } from 'node:http'

/**
 * The REST proxy keeps v1 and v2 consumer instances in two separate managers: the same group and instance name can
 * exist in both, owned by different callers. The Content-Type of the create picks the manager.
 */
export type ConsumerNamespace = 'v1' | 'v2'

export const NAMESPACES: readonly ConsumerNamespace[] = ['v1', 'v2']

const VERSIONED = /^application\/vnd\.kafka(?:\.[a-z]+)?\.(v[12])\+json$/

/** Instance routes that only one API version serves. */
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
}

/** A create with a v2 Content-Type makes a v2 instance; every other accepted type (or none) a v1 instance. */
export function createNamespace(headers: IncomingHttpHeaders): ConsumerNamespace {
  return VERSIONED.exec(essence(headers['content-type']))?.[1] === 'v2' ? 'v2' : 'v1'
}

/**
 * The namespace an instance request reaches, or undefined when the request does not say for sure: a route both versions
 * serve (delete, commit) with neither Content-Type nor Accept naming exactly one version. The upstream then picks one
 * by rules the gateway does not rely on, so the caller must be entitled in both (see consumer-ownership.ts).
 */
export function instanceNamespace(routeName: string, headers: IncomingHttpHeaders): ConsumerNamespace | undefined {
  const byRoute = ROUTE_NAMESPACE[routeName]
  if (byRoute) return byRoute
  const named = new Set<string>()
  const types = [essence(headers['content-type']), ...(headers.accept ?? '').split(',').map((range) => essence(range))]
  for (const type of types) {
    const version = VERSIONED.exec(type)?.[1]
    if (version) named.add(version)
  }
  return named.size === 1 ? ([...named][0] as ConsumerNamespace) : undefined
}

/** Lower-cased `type/subtype` without parameters, read leniently like the upstream does; '' when absent. */
function essence(value: string | undefined): string {
  return (value ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
}
