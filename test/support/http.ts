// Small HTTP helpers for tests: media type constants, and raw node:http for chunked bodies or GET with a body.
import http from 'node:http'

// The Kafka REST media types, written out here so the tests do not share the gateway's or the emulator's tables
// (test/contract/media-agreement.test.ts checks that all three spell them the same).
export const CT = {
  V1: 'application/vnd.kafka.v1+json',
  V1B: 'application/vnd.kafka.binary.v1+json',
  V1J: 'application/vnd.kafka.json.v1+json',
  V1A: 'application/vnd.kafka.avro.v1+json',
  KJ: 'application/vnd.kafka+json',
  J: 'application/json',
  OS: 'application/octet-stream',
  V2: 'application/vnd.kafka.v2+json',
  V2B: 'application/vnd.kafka.binary.v2+json',
  V2J: 'application/vnd.kafka.json.v2+json',
  V2A: 'application/vnd.kafka.avro.v2+json',
  V2JS: 'application/vnd.kafka.jsonschema.v2+json',
  V2P: 'application/vnd.kafka.protobuf.v2+json',
  TEXT: 'text/plain',
  V3B: 'application/vnd.kafka.binary.v3+json',
  XML: 'application/vnd.kafka.xml.v2+json',
} as const

export const V1_BINARY = CT.V1B
export const V2_BINARY = CT.V2B
export const V2 = CT.V2

/** Headers some servers and frameworks read as a different method or path; the gateway must drop them all. */
export const ROUTING_OVERRIDE_HEADERS = [
  'x-http-method-override',
  'x-http-method',
  'x-method-override',
  'x-original-url',
  'x-rewrite-url',
] as const

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

export const b64 = (data: string | Buffer) => Buffer.from(data).toString('base64')
