// Forwarding headers are the gateway's: every client-sent X-Forwarded-*, Forwarded, Via, X-Real-IP, X-Original-*…
// is removed; the gateway writes its own; only a valid Host (or, with trustProxy, the forwarded host) shapes base_uri.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLIENT_FORWARDING_HEADERS } from '../../src/proxy/forwarding-headers.js'
import { V2 } from '../support/http.js'
import { rawExchange } from '../support/raw-socket.js'
import { type Stack, startStack } from '../support/stack.js'

/** Every listed name, and names the prefixes cover, each with a value the upstream must never see. */
const SPOOFED: Record<string, string> = {
  ...Object.fromEntries(CLIENT_FORWARDING_HEADERS.map((name) => [name, `spoofed-${name}`])),
  'X-Forwarded-For': '6.6.6.6',
  'X-Forwarded-Host': 'evil.example',
  'X-Forwarded-Proto': 'https',
  'X-Forwarded-Port': '443',
  'X-Forwarded-Server': 'evil.example',
  'X-Forwarded-Prefix': '/evil',
  'X-Forwarded-Ssl': 'on',
  'X-Forwarded-Scheme': 'https',
  'X-Forwarded-Uri': '/admin',
  'X-Original-Host': 'evil.example',
  'X-Original-URL': '/admin',
  'X-Original-URI': '/admin',
  'X-Original-Forwarded-For': '6.6.6.6',
  'X-Rewrite-URL': '/admin',
  'X-Real-IP': '6.6.6.6',
  Via: '1.1 evil',
  Forwarded: 'for=6.6.6.6;host=evil.example;proto=https',
  'True-Client-IP': '6.6.6.6',
  'CF-Connecting-IP': '6.6.6.6',
}

function head(start: string, host: string, token: string, extra: Record<string, string> = {}): string {
  const lines = Object.entries(extra).map(([name, value]) => `${name}: ${value}\r\n`)
  return `${start}\r\nHost: ${host}\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n${lines.join('')}`
}

function request(start: string, host: string, token: string, extra: Record<string, string> = {}, body = ''): string {
  const length = body ? `Content-Length: ${Buffer.byteLength(body)}\r\nContent-Type: ${V2}\r\n` : ''
  return `${head(start, host, token, extra)}${length}\r\n${body}`
}

const createConsumer = (name: string) => JSON.stringify({ name, format: 'binary' })

describe('without trusted proxies and without publicUrl', () => {
  let stack: Stack
  let token: string
  beforeAll(async () => {
    stack = await startStack()
    token = await stack.token('mallory')
  })
  afterAll(() => stack.close())

  it("removes every client forwarding header and sends the gateway's own", async () => {
    stack.emulator.clearRequests()
    const answer = await rawExchange(stack.url, request('GET /brokers HTTP/1.1', 'gw.example:8080', token, SPOOFED))
    expect(answer.status).toBe(200)
    const [seen] = stack.emulator.requests
    const forwarded = Object.entries(seen?.headers ?? {}).filter(([, value]) => String(value).includes('spoofed'))
    expect(forwarded).toEqual([])
    for (const name of Object.keys(SPOOFED)) {
      const lower = name.toLowerCase()
      if (!['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host'].includes(lower)) {
        expect(seen?.headers[lower], name).toBeUndefined()
      }
    }
    expect(seen?.headers['x-forwarded-for']).toBe('127.0.0.1')
    expect(seen?.headers['x-forwarded-proto']).toBe('http')
    expect(seen?.headers['x-forwarded-host']).toBe('gw.example:8080')
  })

  it.each([
    ['gw.example:8443', 'http://gw.example:8443'],
    ['[::1]:8082', 'http://[::1]:8082'],
    ['127.0.0.1', 'http://127.0.0.1'],
  ])('builds base_uri from a valid Host %s, ignoring forwarded host and scheme', async (host, origin) => {
    const name = `c-${stack.emulator.requests.length}`
    const spoof = { 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'https' }
    const answer = await rawExchange(
      stack.url,
      request('POST /consumers/fh HTTP/1.1', host, token, spoof, createConsumer(name)),
    )
    expect(answer.status).toBe(200)
    expect(JSON.parse(answer.body).base_uri).toBe(`${origin}/consumers/fh/instances/${name}`)
  })

  it.each([
    'user@evil.example',
    'user:pass@evil.example',
    'evil.example:443/phish?',
    'evil.example/x',
    'evil.example?x',
    'evil.example#x',
    '::1',
    'gw:99999',
  ])('refuses Host %j with 400, nothing upstream', async (host) => {
    stack.emulator.clearRequests()
    const answer = await rawExchange(
      stack.url,
      request('POST /consumers/fh HTTP/1.1', host, token, {}, createConsumer('bad-host')),
    )
    expect(answer.status).toBe(400)
    expect(JSON.parse(answer.body)).toMatchObject({ error_code: 40090, message: expect.stringMatching(/Host header/) })
    expect(answer.body).not.toContain('evil')
    expect(stack.emulator.requests).toEqual([])
  })
})

describe('with trustProxy: 1 (one proxy in front)', () => {
  let stack: Stack
  let token: string
  beforeAll(async () => {
    stack = await startStack({
      configure: (input) => ({ ...input, rateLimit: { trustProxy: 1 } }),
    })
    token = await stack.token('alice')
  })
  afterAll(() => stack.close())

  it("keeps the trusted proxy's X-Forwarded-For entry, appends the socket, and drops the client-written ones", async () => {
    stack.emulator.clearRequests()
    const spoof = { 'X-Forwarded-For': '6.6.6.6, 203.0.113.9', 'X-Real-IP': '6.6.6.6', Via: '1.1 evil' }
    const answer = await rawExchange(stack.url, request('GET /brokers HTTP/1.1', 'gw', token, spoof))
    expect(answer.status).toBe(200)
    const [seen] = stack.emulator.requests
    expect(seen?.headers['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1')
    expect(seen?.headers['x-real-ip']).toBeUndefined()
    expect(seen?.headers.via).toBeUndefined()
  })

  it.each([
    [
      "builds base_uri from the proxy's X-Forwarded-Proto and X-Forwarded-Host",
      { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'kafka.example.com' },
      't1',
      'https://kafka.example.com',
    ],
    [
      'falls back to the connection and Host when the forwarded values are malformed',
      { 'X-Forwarded-Proto': 'gopher', 'X-Forwarded-Host': 'user@evil.example/x' },
      't2',
      'http://internal:8080',
    ],
  ])('%s', async (_case, forwarded, instance, origin) => {
    const answer = await rawExchange(
      stack.url,
      request('POST /consumers/tp HTTP/1.1', 'internal:8080', token, forwarded, createConsumer(instance)),
    )
    expect(answer.status).toBe(200)
    expect(JSON.parse(answer.body).base_uri).toBe(`${origin}/consumers/tp/instances/${instance}`)
  })
})
