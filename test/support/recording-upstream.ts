// A minimal upstream that records what it received (headers, byte counts) and answers 200 JSON, without buffering bodies.
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface SeenRequest {
  method: string
  url: string
  headers: http.IncomingHttpHeaders
  bytes: number
  /** True once the whole body arrived; an upload the gateway cut off stays false. */
  completed: boolean
}

export interface RecordingUpstream {
  url: string
  seen: SeenRequest[]
  close(): Promise<void>
}

export async function startRecordingUpstream(): Promise<RecordingUpstream> {
  const seen: SeenRequest[] = []
  const server = http.createServer((req, res) => {
    const entry: SeenRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      bytes: 0,
      completed: false,
    }
    seen.push(entry)
    req.on('data', (chunk: Buffer) => {
      entry.bytes += chunk.length
    })
    req.on('end', () => {
      entry.completed = true
      const body = JSON.stringify({
        offsets: [{ partition: 0, offset: 0, error_code: null, error: null }],
        bytes: entry.bytes,
      })
      res.writeHead(200, { 'content-type': 'application/vnd.kafka.v1+json', 'content-length': Buffer.byteLength(body) })
      res.end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
