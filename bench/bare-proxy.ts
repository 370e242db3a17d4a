// The floor cost of Node: a bare `node:http` reverse proxy (http.request + pipe, keep-alive agent), no framework.
// Run as its own process: `node --import tsx bench/bare-proxy.ts PORT UPSTREAM_PORT`.
import http from 'node:http'

const [port, upstreamPort] = process.argv.slice(2).map(Number)
const agent = new http.Agent({ keepAlive: true, maxFreeSockets: 256, scheduling: 'lifo' })

const server = http.createServer((req, res) => {
  const upstream = http.request(
    { host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers, agent },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    },
  )
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502)
    res.end()
  })
  req.pipe(upstream)
})
server.listen(port, '127.0.0.1')
process.once('SIGTERM', () => process.exit(0))
