// The upstream URL in the shape http-proxy reads (legacy url.parse fields), parsed once at start-up.

/**
 * Given a string target, http-proxy runs the deprecated `url.parse()` on every request; an object is used as is. Same
 * fields as url.parse would give: IPv6 hostnames without brackets, a decoded `user:password` auth, path with query.
 */
export function upstreamTarget(url: string) {
  const parsed = new URL(url)
  return {
    protocol: parsed.protocol,
    host: parsed.host,
    hostname: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port || null,
    path: `${parsed.pathname}${parsed.search}`,
    pathname: parsed.pathname,
    auth: parsed.username || parsed.password ? authOf(parsed) : null,
  }
}

function authOf({ username, password }: URL): string {
  return password ? `${decodeURIComponent(username)}:${decodeURIComponent(password)}` : decodeURIComponent(username)
}
