// Serves the example browser app (examples/browser) on its own origin, with a generated config.js naming the gateway.
import { readFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ExampleAppConfig {
  gatewayUrl: string
  /** The dev issuer's demo endpoint: `GET <tokenUrl>?sub=…` → `{ access_token }`. */
  tokenUrl: string
}

export interface ExampleApp {
  /** The app's origin, e.g. http://127.0.0.1:8081: the one origin to allow in the gateway's cors.origins. */
  url: string
  /** Until this is called config.js answers 503: the gateway's URL is known only once it listens. */
  configure(config: ExampleAppConfig): void
  close(): Promise<void>
}

const APP_DIR = new URL('../../examples/browser/', import.meta.url)

/** The only files served, read once: no path from the request ever reaches the file system. */
const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
}

export async function serveExampleApp(options: { host: string; port: number }): Promise<ExampleApp> {
  const contents = new Map(Object.values(FILES).map(({ file }) => [file, readFileSync(new URL(file, APP_DIR))]))
  let configScript: string | undefined

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/'
    if (path === '/config.js' && configScript) return send(res, 200, 'text/javascript; charset=utf-8', configScript)
    if (path === '/config.js') return send(res, 503, 'text/plain', 'the gateway is not started yet')
    const entry = FILES[path]
    if (!entry || (req.method !== 'GET' && req.method !== 'HEAD')) return send(res, 404, 'text/plain', 'not found')
    send(res, 200, entry.type, contents.get(entry.file) ?? '')
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => resolve())
  })
  return {
    url: `http://${options.host}:${(server.address() as AddressInfo).port}`,
    configure(config) {
      configScript = `window.gatewayExample = ${JSON.stringify(config)}\n`
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  })
  res.end(body)
}
