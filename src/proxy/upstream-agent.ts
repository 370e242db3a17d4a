// The pool of keep-alive connections to the REST proxy, and when an idle one is retired.
import http from 'node:http'
import https from 'node:https'
import type { Socket } from 'node:net'
import type { ConnectionOptions } from 'node:tls'

export interface UpstreamPool {
  agent: http.Agent
  /** Reads the upstream's `Keep-Alive: timeout=N` hint from an answer, before its connection goes back to the pool. */
  noteHint(answer: http.IncomingMessage): void
  destroy(): void
}

const IDLE_SINCE = Symbol('idle since')
const IDLE_LIMIT = Symbol('idle limit')
type Pooled = Socket & { [IDLE_SINCE]?: number; [IDLE_LIMIT]?: number }

/**
 * A connection idle in the pool for `idleMs` is closed before the upstream closes it: an upstream such as Jetty closes
 * idle connections without announcing its timeout, and a request sent on a connection it is closing fails. An upstream
 * that announces a shorter timeout (`Keep-Alive: timeout=N`) gets its connections retired a second before N.
 *
 * Retirement is a sweep over the idle connections (every quarter of `idleMs`, at most every second), so a pooled
 * connection is never idle longer than `idleMs`; cheaper than Node's own per-connection idle timer, which is re-armed
 * on every request. LIFO reuse keeps the busiest connections warm and lets the rest go idle and be retired.
 */
export function createUpstreamPool(isHttps: boolean, idleMs: number, tls: ConnectionOptions): UpstreamPool {
  const options = { keepAlive: true, maxFreeSockets: 256, scheduling: 'lifo' as const }
  const agent = isHttps ? new https.Agent({ ...options, ...tls }) : new http.Agent(options)
  const sweepMs = Math.max(1, Math.min(1_000, Math.floor(idleMs / 4)))
  // Node's returns whether the connection may stay (its typings say void).
  const keepSocketAlive = agent.keepSocketAlive.bind(agent) as unknown as (socket: Socket) => boolean
  agent.keepSocketAlive = ((socket: Pooled) => {
    if (!keepSocketAlive(socket)) return false
    socket[IDLE_SINCE] = performance.now()
    return true
  }) as unknown as http.Agent['keepSocketAlive']
  const sweep = setInterval(() => {
    const now = performance.now()
    for (const sockets of Object.values(agent.freeSockets)) {
      for (const socket of (sockets ?? []) as Pooled[]) {
        // Retired one sweep early, so none waits past its limit for the next sweep.
        if (now - (socket[IDLE_SINCE] ?? now) >= (socket[IDLE_LIMIT] ?? idleMs) - sweepMs) socket.destroy()
      }
    }
  }, sweepMs)
  sweep.unref()
  let lastHint: string | undefined
  let lastLimit = idleMs
  return {
    agent,
    noteHint(answer) {
      const hint = answer.headers['keep-alive']
      if (typeof hint !== 'string') return
      // Every answer of one upstream carries the same hint: parse it once.
      if (hint !== lastHint) {
        lastHint = hint
        const seconds = Number(/(?:^|[\s,])timeout=(\d+)/i.exec(hint)?.[1])
        lastLimit = Number.isFinite(seconds) ? Math.min(idleMs, seconds * 1000 - 1000) : idleMs
      }
      if (lastLimit < idleMs) (answer.socket as Pooled)[IDLE_LIMIT] = lastLimit
    },
    destroy() {
      clearInterval(sweep)
      agent.destroy()
    },
  }
}
