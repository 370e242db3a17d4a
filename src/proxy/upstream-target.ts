// The upstream URL as the forwarder uses it on every request, parsed once at start-up.

export interface UpstreamTarget {
  isHttps: boolean
  /** For `http.request`: IPv6 addresses without brackets. */
  hostname: string
  port: number
  /** The Host header sent upstream (changeOrigin): the upstream's own host[:port], as in its URL. */
  host: string
  /** Prepended to every request path (no trailing `/`; empty when the URL has no path). */
  pathPrefix: string
  /** The URL's own query, appended to every request's (empty when none). */
  query: string
  /** Decoded `user:password` from the URL, sent as Basic auth; undefined when the URL has none. */
  auth: string | undefined
}

export function upstreamTarget(url: string): UpstreamTarget {
  const parsed = new URL(url)
  const isHttps = parsed.protocol === 'https:'
  return {
    isHttps,
    hostname: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port ? Number(parsed.port) : isHttps ? 443 : 80,
    host: parsed.host,
    pathPrefix: parsed.pathname.replace(/\/+$/, ''),
    query: parsed.search.slice(1),
    auth: parsed.username || parsed.password ? authOf(parsed) : undefined,
  }
}

/** The upstream path for a request target (origin-form, as the route policy accepted it). */
export function upstreamPath(target: UpstreamTarget, url: string): string {
  const path = target.pathPrefix + url
  if (!target.query) return path
  return `${path}${path.includes('?') ? '&' : '?'}${target.query}`
}

function authOf({ username, password }: URL): string {
  return password ? `${decodeURIComponent(username)}:${decodeURIComponent(password)}` : decodeURIComponent(username)
}
