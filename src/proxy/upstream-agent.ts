// The pool of keep-alive connections to the REST proxy, and when an idle one is retired.
import http from 'node:http'
import https from 'node:https'
import type { ConnectionOptions } from 'node:tls'

/**
 * `idleMs` retires a pooled connection that stayed idle that long, before the upstream closes it: an upstream such as
 * Jetty closes idle connections without announcing its timeout, and a request sent on a connection it is closing fails.
 * When the upstream does announce one (`Keep-Alive: timeout=N`), Node retires the connection a second before it, if that
 * is sooner. LIFO reuse keeps the busiest connections warm and lets the rest go idle and be retired.
 */
export function createUpstreamAgent(isHttps: boolean, idleMs: number, tls: ConnectionOptions): http.Agent {
  const options = { keepAlive: true, maxFreeSockets: 256, scheduling: 'lifo' as const, timeout: idleMs }
  return isHttps ? new https.Agent({ ...options, ...tls }) : new http.Agent(options)
}
