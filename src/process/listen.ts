// listen: the gateway's HTTP(S) server around a handler, with client timeouts, TLS reload and a draining close.
import type http from 'node:http'
import type https from 'node:https'
import type { AddressInfo } from 'node:net'
import type { z } from 'zod'
import { serverSchema } from '../config/schema.js'
import type { Logger } from '../observability/logger.js'
import type { Handler } from '../pipeline.js'
import { createServer, type RefusalObserver } from '../server/create-server.js'
import { createDrain } from '../server/drain.js'
import { loadServerTls } from '../server/server-tls.js'

/** `config.server`, or any part of it (`{ host, port }`): the rest takes the schema's defaults. */
export type ListenOptions = z.input<typeof serverSchema>

export interface RunningServer {
  server: http.Server
  url: string
  /** Stops accepting and drains: in-flight requests get up to `graceMs` (default `shutdownGraceMs`), then 503. */
  close(graceMs?: number): Promise<void>
}

export interface ListenHooks {
  logger?: Logger
  onRefusal?: RefusalObserver
}

export function listen(handler: Handler, options: ListenOptions, hooks: ListenHooks = {}): Promise<RunningServer> {
  const config = serverSchema.parse(options)
  const tls = config.tls ? loadServerTls(config.tls) : undefined
  const drain = createDrain(() => server, handler)
  const server = createServer(config, drain.listener, tls?.options, hooks.onRefusal)
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.port, config.host, () => {
      server.off('error', reject)
      const stopWatching = tls?.watch(server as https.Server, hooks.logger)
      const { port } = server.address() as AddressInfo
      const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host
      resolve({
        server,
        url: `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`,
        close: async (graceMs = config.shutdownGraceMs) => {
          stopWatching?.()
          await drain.close(graceMs)
        },
      })
    })
  })
}
