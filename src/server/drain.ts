// Graceful close of one server: stop accepting, let in-flight requests finish within a grace period, then cut the rest.
import type http from 'node:http'
import { GatewayError } from '../errors/gateway-error.js'
import { sendError } from '../errors/send-error.js'

export interface Drain {
  /** The request listener to give the server: tracks in-flight responses around `handler`. */
  listener: http.RequestListener
  /**
   * Stops accepting connections, asks keep-alive clients to close, waits up to `graceMs` for in-flight requests, then
   * answers those still unanswered with 503 SHUTTING_DOWN, cuts streams in progress and closes every connection.
   */
  close(graceMs: number): Promise<void>
}

/** After the deadline, how long the 503 answers get to reach their clients before the sockets are destroyed. */
const CUT_OFF_FLUSH_MS = 1_000

export function createDrain(getServer: () => http.Server, handler: http.RequestListener): Drain {
  const active = new Set<http.ServerResponse>()
  let draining = false
  let onEmpty: (() => void) | undefined

  const closeIdle = () => getServer().closeIdleConnections()
  // One shared listener (`this` is the response): no closure per request.
  function untrack(this: http.ServerResponse): void {
    active.delete(this)
    if (!draining) return
    // The connection this response used may be idle now (answered before the drain began, with keep-alive).
    setImmediate(closeIdle)
    if (active.size === 0) onEmpty?.()
  }

  function settled(ms: number): Promise<void> {
    if (active.size === 0) return Promise.resolve()
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms)
      onEmpty = () => {
        clearTimeout(timer)
        resolve()
      }
    })
  }

  return {
    listener(req, res) {
      active.add(res)
      res.on('close', untrack)
      if (draining) res.setHeader('Connection', 'close')
      handler(req, res)
    },
    async close(graceMs) {
      const server = getServer()
      draining = true
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      for (const res of active) if (!res.headersSent) res.setHeader('Connection', 'close')
      server.closeIdleConnections()
      await settled(graceMs)
      if (active.size > 0) {
        for (const res of active) cutOff(res)
        await settled(CUT_OFF_FLUSH_MS)
      }
      server.closeAllConnections()
      await closed
    },
  }
}

function cutOff(res: http.ServerResponse): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  const requestId = res.getHeader('x-request-id')
  sendError(res, new GatewayError('SHUTTING_DOWN'), typeof requestId === 'string' ? requestId : '')
}
