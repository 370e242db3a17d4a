// The path at which a host app mounted the gateway's handler, so that URLs built from the request point back through it.
import type { IncomingMessage } from 'node:http'

type MountedRequest = IncomingMessage & { baseUrl?: unknown; originalUrl?: unknown }

/**
 * Express (4 and 5, Routers included) says where it mounted the handler in `req.baseUrl`; connect-style apps only cut
 * the prefix off `req.url` and keep the whole URL in `originalUrl`. '' at the root and on a bare node:http server.
 * Read while the gateway still holds the request: Express restores `baseUrl` only when a handler calls `next()`.
 */
export function mountPathOf(req: IncomingMessage): string {
  const { baseUrl, originalUrl } = req as MountedRequest
  if (typeof baseUrl === 'string') return asPathPrefix(baseUrl)
  if (typeof originalUrl !== 'string' || req.url === undefined) return ''
  const full = withoutTrailingSlash(pathOf(originalUrl))
  const own = withoutTrailingSlash(pathOf(req.url))
  return full.endsWith(own) ? asPathPrefix(full.slice(0, full.length - own.length)) : ''
}

/** A prefix to put between the origin and an upstream path: '' or `/…` without a trailing slash, safe inside a URL. */
function asPathPrefix(path: string): string {
  if (!path.startsWith('/')) return ''
  // The host app matched this on the raw request target; anything that would end the path or break the URL is escaped.
  return withoutTrailingSlash(path).replace(/[^\w\-.~!$&'()*+,;=:@%/]/g, (char) => encodeURIComponent(char))
}

function pathOf(url: string): string {
  const end = url.search(/[?#]/)
  return end === -1 ? url : url.slice(0, end)
}

function withoutTrailingSlash(path: string): string {
  return path.endsWith('/') ? path.slice(0, -1) : path
}
