// An upstream that misbehaves on purpose, per request path: hangs, stalls mid-response, resets, or answers after a delay.
import http from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * `/hang…`: headers never come. `/cut…`: 200 with half a body, then the socket is destroyed. `/reset…`: the socket is
 * destroyed before any answer. `/drip…`: 200 and a chunk, then nothing more until the client goes away. Else: 200 JSON.
 */
export interface FaultUpstream {
  url: string
  /** Requests seen, by URL, with whether the connection closed before an answer was complete (the client aborted). */
  seen: Array<{ url: string; headers: http.IncomingHttpHeaders; aborted: boolean; bytes: number }>
  /** Requests whose answer is still pending (hang, drip). */
  open(): number
  /** Requests whose connection closed before their answer was complete. */
  aborted(): number
  close(): Promise<void>
}

/** `record: false` keeps only counters, for floods whose memory use is being measured. */
export async function startFaultUpstream({ record = true } = {}): Promise<FaultUpstream> {
  const seen: FaultUpstream['seen'] = []
  let pending = 0
  let aborted = 0
  const server = http.createServer((req, res) => {
    const entry = { url: req.url ?? '', headers: req.headers, aborted: false, bytes: 0 }
    if (record) seen.push(entry)
    req.on('data', (chunk: Buffer) => {
      entry.bytes += chunk.length
    })
    pending++
    res.on('close', () => {
      pending--
      if (res.writableFinished) return
      entry.aborted = true
      aborted++
    })
    const url = entry.url
    if (url.startsWith('/hang')) return
    if (url.startsWith('/reset')) return void req.socket.destroy()
    if (url.startsWith('/cut')) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '1000' })
      res.write(Buffer.alloc(500, 1), () => req.socket.destroy())
      return
    }
    if (url.startsWith('/drip')) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      res.write(Buffer.alloc(100, 1))
      return
    }
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', server: 'fault-upstream/1.0', 'x-powered-by': 'tests' })
      res.end(JSON.stringify({ ok: true, bytes: entry.bytes }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    open: () => pending,
    aborted: () => aborted,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
