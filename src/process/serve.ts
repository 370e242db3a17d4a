// serve: one gateway process — the gateway, its listener, the optional admin listener, and the draining stop.
import type { Config, ServerConfig } from '../config/schema.js'
import { createGateway, type Gateway, type GatewayDeps } from '../gateway.js'
import { type ListenHooks, type ListenOptions, listen, type RunningServer } from './listen.js'

export interface Serving {
  gateway: Gateway
  server: RunningServer
  admin: RunningServer | undefined
  /** /readyz → 503, stop accepting, drain in-flight requests within server.shutdownGraceMs, close everything. */
  stop(): Promise<void>
}

/** `withAdmin: false` in cluster workers: the primary process serves the admin port for all of them. */
export async function serve(config: Config, deps: GatewayDeps = {}, withAdmin = true): Promise<Serving> {
  const gateway = createGateway(config, deps)
  const hooks: ListenHooks = { logger: gateway.logger, onRefusal: (error) => gateway.metrics.refused(error) }
  const server = await listen(gateway.handler, config.server, hooks)
  const adminPort = withAdmin ? config.server.adminPort : undefined
  const admin =
    adminPort === undefined ? undefined : await listen(gateway.adminHandler, adminListener(config.server, adminPort))
  void gateway.warmUp()
  return {
    gateway,
    server,
    admin,
    async stop() {
      gateway.drain()
      await server.close(config.server.shutdownGraceMs)
      // The admin port stays up during the drain, so probes see 503 rather than a refused connection.
      await admin?.close()
      await gateway.close()
    },
  }
}

/** The admin listener: the main one's host and timeouts, its own port, plain HTTP (probes and scrapers). */
export function adminListener(server: ServerConfig, port: number): ListenOptions {
  return { ...server, port, adminPort: undefined, tls: undefined }
}
