// listen: an HTTP server around a handler, with sane timeouts and a close that drains in-flight requests.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Handler } from './pipeline.js'

export interface RunningServer {
  server: http.Server
  url: string
  close(): Promise<void>
}

export interface ListenOptions {
  host: string
  port: number
}

export function listen(handler: Handler, options: ListenOptions): Promise<RunningServer> {
  const server = http.createServer(
    { requestTimeout: 120_000, headersTimeout: 20_000, keepAliveTimeout: 5_000 },
    (req, res) => handler(req, res),
  )
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => {
      server.off('error', reject)
      const { port } = server.address() as AddressInfo
      const host = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host
      resolve({
        server,
        url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done())
            server.closeIdleConnections()
          }),
      })
    })
  })
}
