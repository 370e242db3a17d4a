// Maps upstream URLs (base_uri, Location) onto the URL clients use to reach the gateway.
import type { IncomingMessage } from 'node:http'
import { mountPathOf } from './mount-path.js'
import { requestOrigin } from './request-origin.js'

export type UrlRewriter = (url: string) => string

/**
 * The public base is `server.publicUrl` when configured, else the request's own origin (its validated Host, or the
 * forwarded host and scheme when `trustedHops` proxies are trusted: see requestOrigin) followed by the path a host app
 * mounted the gateway at. Only URLs on the upstream's origin are rewritten; the path is kept and prefixed with the public
 * base's path.
 */
export function createUrlRewriter(upstreamUrl: string, publicUrl: string | undefined, trustedHops = 0) {
  const upstreamOrigin = new URL(upstreamUrl).origin
  const configured = publicUrl ? new URL(publicUrl) : undefined
  const configuredBase = configured ? `${configured.origin}${configured.pathname.replace(/\/$/, '')}` : undefined
  return function rewriterFor(req: IncomingMessage): UrlRewriter {
    const base = configuredBase ?? `${originOf(req, trustedHops)}${mountPathOf(req)}`
    return (url) => {
      if (!URL.canParse(url)) return url
      const parsed = new URL(url)
      if (parsed.origin !== upstreamOrigin) return url
      return `${base}${parsed.pathname}${parsed.search}`
    }
  }
}

function originOf(req: IncomingMessage, trustedHops: number): string {
  const { proto, host } = requestOrigin(req, trustedHops)
  return `${proto}://${host ?? 'localhost'}`
}
