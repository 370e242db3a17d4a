// Small HTTP helpers for tests: JSON requests with fetch, and raw node:http for chunked bodies or GET with a body.
import http from 'node:http'

export const V1_BINARY = 'application/vnd.kafka.binary.v1+json'
export const V2_BINARY = 'application/vnd.kafka.binary.v2+json'
export const V2 = 'application/vnd.kafka.v2+json'

export interface RawResponse {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
  json<T = unknown>(): T
}

/** A request through node:http: `chunked` sends the body without Content-Length, like message-hub-rest does. */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; chunked?: boolean } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers = { ...options.headers }
    if (options.body !== undefined && !options.chunked)
      headers['content-length'] = String(Buffer.byteLength(options.body))
    const req = http.request(url, { method: options.method ?? 'GET', headers, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8')
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) })
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    if (options.body !== undefined) req.write(options.body)
    req.end()
  })
}

export const b64 = (text: string) => Buffer.from(text).toString('base64')
