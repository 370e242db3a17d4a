// The benchmark's upstream: a minimal, fast Kafka-REST-like server (produce, consumer creation, consume, long polls).
// Run as its own process: `node --import tsx bench/upstream.ts PORT API_KEY`. It answers from precomputed buffers so
// the measurement is about the proxies in front of it, not about a Kafka emulator.
import http from 'node:http'

const V1 = 'application/vnd.kafka.v1+json'
const V2 = 'application/vnd.kafka.v2+json'
const V2_BINARY = 'application/vnd.kafka.binary.v2+json'
/** Long polls are answered when the bench releases them, or after this at the latest. */
const MAX_HOLD_MS = 30_000

const json = (body: unknown) => Buffer.from(JSON.stringify(body))
const PRODUCED = json({
  key_schema_id: null,
  value_schema_id: null,
  offsets: [{ partition: 0, offset: 42, error_code: null, error: null }],
})
// About 0.5 KiB, like the upstream of performance.md: three binary records.
const RECORDS = json(
  [0, 1, 2].map((offset) => ({
    topic: 'bench',
    key: null,
    value: Buffer.alloc(96, 97 + offset).toString('base64'),
    partition: 0,
    offset,
  })),
)
const EMPTY = json([])
const UNAUTHORIZED = json({ error_code: 40101, message: 'Unauthorized' })
const NOT_FOUND = json({ error_code: 404, message: 'HTTP 404 Not Found' })

const [port, apiKey] = process.argv.slice(2)
const held = new Set<http.ServerResponse>()

function send(res: http.ServerResponse, status: number, type: string, body: Buffer): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': body.length })
  res.end(body)
}

/** Reads and drops a request body (produce bodies are never parsed here), then answers. */
function drain(req: http.IncomingMessage, answer: () => void): void {
  req.on('data', () => {})
  req.on('end', answer)
}

function hold(res: http.ServerResponse, timeoutMs: number): void {
  held.add(res)
  const timer = setTimeout(() => release(res), Math.min(timeoutMs, MAX_HOLD_MS))
  res.once('close', () => {
    clearTimeout(timer)
    held.delete(res)
  })
}

function release(res: http.ServerResponse): void {
  held.delete(res)
  send(res, 200, V2_BINARY, EMPTY)
}

function handle(req: http.IncomingMessage, res: http.ServerResponse) {
  const url = req.url ?? '/'
  // The bench's own controls, called directly (never through a proxy).
  if (url === '/_bench/held') return send(res, 200, 'application/json', json({ held: held.size }))
  if (url === '/_bench/release' && req.method === 'POST') {
    for (const waiting of [...held]) release(waiting)
    return send(res, 200, 'application/json', json({ released: true }))
  }
  if (req.headers['x-auth-token'] !== apiKey) return drain(req, () => send(res, 401, V1, UNAUTHORIZED))
  const [path = '/', query = ''] = url.split('?', 2)
  const parts = path.split('/')
  if (req.method === 'POST' && parts[1] === 'topics' && parts.length === 3) {
    return drain(req, () => send(res, 200, V1, PRODUCED))
  }
  if (req.method === 'POST' && parts[1] === 'consumers' && parts.length === 3) {
    const group = parts[2] as string
    const instance = `bench-${Math.random().toString(36).slice(2, 10)}`
    const baseUri = `http://${req.headers.host}/consumers/${group}/instances/${instance}`
    return drain(req, () => send(res, 200, V2, json({ instance_id: instance, base_uri: baseUri })))
  }
  if (req.method === 'DELETE' && parts[1] === 'consumers' && parts[3] === 'instances' && parts.length === 5) {
    return drain(req, () => {
      res.writeHead(204)
      res.end()
    })
  }
  if (req.method === 'GET' && parts[1] === 'consumers' && parts[5] === 'records') {
    const timeout = /(?:^|&)timeout=(\d+)/.exec(query)?.[1]
    return timeout ? hold(res, Number(timeout)) : send(res, 200, V2_BINARY, RECORDS)
  }
  drain(req, () => send(res, 404, V1, NOT_FOUND))
}

const server = http.createServer({ keepAliveTimeout: 60_000 }, handle)
server.listen(Number(port), '127.0.0.1')
process.once('SIGTERM', () => {
  server.close()
  server.closeAllConnections()
  process.exit(0)
})
