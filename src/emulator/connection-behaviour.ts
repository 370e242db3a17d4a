// Optional upstream behaviours for tests and benchmarks: compressed answers, and Jetty-like closing of idle connections.
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import zlib from 'node:zlib'

/**
 * Like Confluent's REST proxy with `compression.enable` (on by default there): gzip when the request accepts it. The
 * emulator's answers are small, so they are compressed in one go.
 */
export function gzipIfAccepted(req: IncomingMessage, payload: string): { body: Buffer | string; encoding?: 'gzip' } {
  if (!acceptsGzip(req.headers['accept-encoding'])) return { body: payload }
  return { body: zlib.gzipSync(payload), encoding: 'gzip' }
}

/** `gzip` (or `*`) listed without `q=0`. */
function acceptsGzip(header: string | undefined): boolean {
  return (header ?? '').split(',').some((item) => {
    const [coding = '', ...params] = item.split(';').map((part) => part.trim().toLowerCase())
    const q = params.find((param) => param.startsWith('q='))
    return (coding === 'gzip' || coding === '*') && (q === undefined || Number(q.slice(2)) > 0)
  })
}

const IDLE_TIMER = Symbol('idle timer')
const CLOSING = Symbol('closing')
type Watched = Socket & { [IDLE_TIMER]?: NodeJS.Timeout; [CLOSING]?: boolean }

/**
 * Like Jetty (Confluent's REST proxy server): a keep-alive connection idle for `idleMs` is closed, and no answer
 * announces it (no `Keep-Alive: timeout` header), so a client cannot know when its pooled connection will go away.
 * `onIdleClose` runs when the idle timer fires. The close then takes up to another `idleMs` to happen, like a FIN still
 * on its way: a request that arrives on the connection meanwhile is dropped with it, unanswered (the race a client
 * loses when it reuses a pooled connection just as the server closes it).
 */
export function closeIdleConnections(server: Server, idleMs: number, onIdleClose: () => void = () => {}): void {
  // 0: Node's own idle timer and its Keep-Alive header are off; this one closes idle connections instead.
  server.keepAliveTimeout = 0
  const arm = (socket: Watched) => {
    clearTimeout(socket[IDLE_TIMER])
    socket[IDLE_TIMER] = setTimeout(() => {
      socket[CLOSING] = true
      socket[IDLE_TIMER] = setTimeout(() => socket.destroy(), idleMs)
      onIdleClose()
    }, idleMs)
  }
  server.on('connection', (socket: Watched) => {
    arm(socket)
    socket.once('close', () => clearTimeout(socket[IDLE_TIMER]))
  })
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket as Watched
    clearTimeout(socket[IDLE_TIMER])
    if (socket[CLOSING]) {
      socket.destroy()
      return
    }
    res.once('finish', () => {
      if (!socket.destroyed) arm(socket)
    })
  })
}
