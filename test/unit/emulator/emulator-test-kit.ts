// Test kit for the emulator: a fresh emulator per test, fetch and node:http helpers, wire constants.
import { type IncomingHttpHeaders, request } from 'node:http'
import { afterEach, beforeEach, vi } from 'vitest'
import {
  type Emulator,
  type EmulatorOptions,
  type RecordedRequest,
  startEmulator,
} from '../../../src/emulator/kafka-rest-emulator.js'
import { b64, CT } from '../../support/http.js'

export { b64, CT }

export const API_KEY = 'emulator-test-key'

export interface Reply {
  status: number
  contentType: string | null
  text: string
  /** Parsed JSON body, or undefined when the body is empty. */
  json: unknown
}

export interface ApiRequest {
  method?: string
  /** An object is sent as JSON; a string is sent as is. */
  body?: unknown
  contentType?: string
  /** fetch sends a wildcard Accept unless told otherwise; use rawHttp for a request with no Accept at all. */
  accept?: string
  headers?: Record<string, string>
  /** Defaults to true: sends X-Auth-Token with the accepted key. */
  auth?: boolean
}

export interface TestEnv {
  emulator: Emulator
  api(path: string, init?: ApiRequest): Promise<Reply>
}

/** Starts a fresh emulator before each test of the file and closes it afterwards. */
export function useEmulator(options: Partial<EmulatorOptions> = {}): TestEnv {
  const env = {} as TestEnv
  beforeEach(async () => {
    env.emulator = await startEmulator({ apiKeys: [API_KEY], ...options })
    env.api = (path, init) => api(env.emulator, path, init)
  })
  afterEach(() => env.emulator.close())
  return env
}

export async function api(emulator: Emulator, path: string, init: ApiRequest = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...init.headers }
  if (init.auth !== false) headers['x-auth-token'] = API_KEY
  if (init.contentType) headers['content-type'] = init.contentType
  if (init.accept !== undefined) headers.accept = init.accept
  const text = init.body === undefined || typeof init.body === 'string' ? init.body : JSON.stringify(init.body)
  // Bytes, not a string: fetch would add `Content-Type: text/plain` to a string body.
  const body = text === undefined ? undefined : Buffer.from(text)
  const res = await fetch(`${emulator.url}${path}`, { method: init.method ?? 'GET', headers, body })
  const answer = await res.text()
  return { status: res.status, contentType: res.headers.get('content-type'), text: answer, json: parseJson(answer) }
}

export interface RawRequest {
  method: string
  path: string
  headers?: Record<string, string>
  /** Sent with a Content-Length (the way to send a body with GET). */
  body?: string
  /** Written one by one without Content-Length, so Node sends them chunked (POST only). */
  chunks?: string[]
}

/** node:http for what fetch cannot do: chunked uploads, GET with a body, a custom Host header. */
export function rawHttp(emulator: Emulator, init: RawRequest): Promise<Reply & { headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'x-auth-token': API_KEY, ...init.headers }
    if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body))
    const req = request(`${emulator.url}${init.path}`, { method: init.method, headers }, (res) => {
      const parts: Buffer[] = []
      res.on('data', (part: Buffer) => parts.push(part))
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8')
        const contentType = res.headers['content-type'] ?? null
        resolve({ status: res.statusCode ?? 0, contentType, headers: res.headers, text, json: parseJson(text) })
      })
    })
    req.on('error', reject)
    for (const chunk of init.chunks ?? []) req.write(chunk)
    req.end(init.body)
  })
}

function parseJson(text: string): unknown {
  return text === '' ? undefined : JSON.parse(text)
}

/** Resolves once the emulator has received a matching request (its handler has then run up to its first wait). */
export function untilRecorded(emulator: Emulator, matches: (request: RecordedRequest) => boolean): Promise<void> {
  return vi.waitFor(() => {
    if (!emulator.requests.some(matches)) throw new Error('request not received yet')
  })
}

/** Creates a consumer instance; the Content-Type picks the API version. */
export async function createConsumer(
  env: TestEnv,
  group: string,
  body: Record<string, unknown>,
  contentType: string = CT.V2,
): Promise<string> {
  const res = await env.api(`/consumers/${group}`, { method: 'POST', contentType, body })
  if (res.status !== 200) throw new Error(`create consumer failed: ${res.status} ${res.text}`)
  return `/consumers/${group}/instances/${(res.json as { instance_id: string }).instance_id}`
}

/** Binary produce of one record per value; returns the produce reply. */
export function produceBinary(
  env: TestEnv,
  topic: string,
  values: Array<string | Buffer>,
  contentType: string = CT.V2B,
) {
  const records = values.map((value) => ({ value: b64(value) }))
  return env.api(`/topics/${topic}`, { method: 'POST', contentType, body: { records } })
}
