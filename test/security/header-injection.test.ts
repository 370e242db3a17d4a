// Header tricks: the client cannot remove the injected key, smuggle its credential,
// inject headers, redirect the proxy, or see what software the upstream runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FaultUpstream, startFaultUpstream } from '../support/fault-upstream.js'
import { ROUTING_OVERRIDE_HEADERS, V2, V2_BINARY } from '../support/http.js'
import { rawExchange } from '../support/raw-socket.js'
import { expectRawRefusal } from '../support/refusal.js'
import { type Stack, startStack } from '../support/stack.js'

const PUBLIC_URL = 'https://kafka.example.com/gw'
let stack: Stack
let token: string

beforeAll(async () => {
  stack = await startStack({
    configure: (input) => ({ ...input, server: { ...input.server, publicUrl: PUBLIC_URL } }),
  })
  token = await stack.token('mallory')
})
afterAll(() => stack.close())

const request = (head: string, body = '') =>
  `${head}\r\nHost: gateway\r\nConnection: close\r\n${body ? `Content-Length: ${Buffer.byteLength(body)}\r\n` : ''}\r\n${body}`

describe('Connection cannot drop the injected key or keep the client credential', () => {
  it.each([
    ['Authorization', 'X-Auth-Token'],
    ['Authorization', 'Authorization'],
    ['Authorization', 'X-Auth-Token, Authorization, Cookie'],
    ['X-Auth-Token', 'X-Auth-Token'],
    ['X-Auth-Token', 'keep-alive, x-auth-token'],
  ])('token in %s, Connection: %s', async (where, connection) => {
    const credential = where === 'Authorization' ? `Authorization: Bearer ${token}` : `X-Auth-Token: ${token}`
    const headers = `${credential}\r\nConnection: ${connection}`
    stack.emulator.clearRequests()
    const answer = await rawExchange(
      stack.url,
      `GET /topics HTTP/1.1\r\nHost: gateway\r\n${headers}\r\nCookie: session=s3cr3t-cookie\r\n\r\n`,
    )
    expect(answer.status).toBe(200)
    const [seen] = stack.emulator.requests
    expect(seen?.headers['x-auth-token']).toBe(stack.apiKey)
    expect(seen?.headers.authorization).toBeUndefined()
    expect(seen?.headers.cookie).toBeUndefined()
    expect(JSON.stringify(seen?.headers)).not.toContain(token)
  })

  it('keeps a Content-Type that Connection lists: upstream judges the same header the gateway judged', async () => {
    stack.emulator.clearRequests()
    const body = '{"records":[{"value":"eA=="}]}'
    const answer = await rawExchange(
      stack.url,
      request(
        `POST /topics/h4 HTTP/1.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: ${V2_BINARY}\r\nConnection: Content-Type`,
        body,
      ),
    )
    expect(answer.status).toBe(200)
    expect(stack.emulator.requests[0]?.headers['content-type']).toBe(V2_BINARY)
  })
})

describe('CR and LF cannot inject headers', () => {
  it.each([
    ['a bare CR in a header value', 'X-Note: a\rX-Injected: yes'],
    ['a bare LF in a header value', 'X-Note: a\nX-Injected: yes'],
    ['a NUL in a header value', 'X-Note: a\u0000b'],
    ['a CR in the request id', 'X-Request-Id: abc\rX-Injected: yes'],
  ])('%s → 400 and nothing upstream', async (_name, header) => {
    stack.emulator.clearRequests()
    const answer = await rawExchange(
      stack.url,
      `GET /topics HTTP/1.1\r\nHost: g\r\nAuthorization: Bearer ${token}\r\n${header}\r\n\r\n`,
    )
    expectRawRefusal(answer, 'BAD_REQUEST')
    expect(answer.text.toLowerCase()).not.toContain('x-injected')
    expect(stack.emulator.requests).toEqual([])
  })

  it('a raw CR or LF in the path → 400 and nothing upstream', async () => {
    stack.emulator.clearRequests()
    for (const path of ['/topics/a\rX-Injected: yes', '/topics/a\nX-Injected: yes']) {
      const answer = await rawExchange(
        stack.url,
        `GET ${path} HTTP/1.1\r\nHost: g\r\nAuthorization: Bearer ${token}\r\n\r\n`,
      )
      expectRawRefusal(answer, 'BAD_REQUEST')
    }
    expect(stack.emulator.requests).toEqual([])
  })

  it('an encoded %0d%0a in the path is refused by the gateway: never a header, upstream or in the answer', async () => {
    stack.emulator.clearRequests()
    const path = '/topics/a%0d%0aX-Injected:%20yes%0d%0a'
    const answer = await rawExchange(stack.url, request(`GET ${path} HTTP/1.1\r\nAuthorization: Bearer ${token}`))
    expect(answer.status).toBe(400)
    expect(answer.headers['x-gateway-error']).toBe('BAD_REQUEST')
    expect(JSON.parse(answer.body)).toMatchObject({
      error_code: 40090,
      message: expect.stringContaining('encoded control characters'),
    })
    expect(answer.headers['x-injected']).toBeUndefined()
    expect(stack.emulator.requests).toEqual([])
  })
})

describe('Host and X-Forwarded-* spoofing', () => {
  it("forwards to the configured upstream whatever Host says, with the gateway's X-Forwarded-* only", async () => {
    stack.emulator.clearRequests()
    const answer = await rawExchange(
      stack.url,
      request(
        'GET /brokers HTTP/1.1\r\nX-Forwarded-Host: evil.example\r\nX-Forwarded-For: 6.6.6.6\r\nForwarded: host=evil.example\r\n' +
          `Authorization: Bearer ${token}`,
      ).replace('Host: gateway', 'Host: evil.example'),
    )
    expect(answer.status).toBe(200)
    const [seen] = stack.emulator.requests
    expect(seen?.headers.host).toBe(new URL(stack.emulator.url).host)
    // The gateway's own: the Host as the client sent it (valid syntax), the socket's address, the connection's scheme.
    expect(seen?.headers['x-forwarded-host']).toBe('evil.example')
    expect(seen?.headers['x-forwarded-for']).toBe('127.0.0.1')
    expect(seen?.headers['x-forwarded-proto']).toBe('http')
    expect(seen?.headers.forwarded).toBeUndefined()
  })

  it('builds base_uri from the configured public URL, not from spoofed Host or X-Forwarded-Host', async () => {
    const body = JSON.stringify({ name: 'h7', format: 'binary' })
    const answer = await rawExchange(
      stack.url,
      request(
        `POST /consumers/h7-group HTTP/1.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: ${V2}\r\nX-Forwarded-Host: evil.example`,
        body,
      ).replace('Host: gateway', 'Host: evil.example'),
    )
    expect(answer.status).toBe(200)
    expect(JSON.parse(answer.body).base_uri).toBe(`${PUBLIC_URL}/consumers/h7-group/instances/h7`)
  })
})

describe('routing override headers', () => {
  it('removes X-HTTP-Method-Override, X-Original-URL and X-Rewrite-URL; method and path stay as judged', async () => {
    stack.emulator.clearRequests()
    const answer = await rawExchange(
      stack.url,
      request(
        'GET /topics HTTP/1.1\r\nX-HTTP-Method-Override: DELETE\r\nX-HTTP-Method: DELETE\r\nX-Method-Override: DELETE\r\n' +
          `X-Original-URL: /admin\r\nX-Rewrite-URL: /admin\r\nAuthorization: Bearer ${token}`,
      ),
    )
    expect(answer.status).toBe(200)
    const [seen] = stack.emulator.requests
    expect([seen?.method, seen?.url]).toEqual(['GET', '/topics'])
    for (const name of ROUTING_OVERRIDE_HEADERS) expect(seen?.headers[name], name).toBeUndefined()
  })
})

describe('upstream software is not disclosed', () => {
  let upstream: FaultUpstream
  let faulty: Stack
  beforeAll(async () => {
    upstream = await startFaultUpstream()
    faulty = await startStack({
      configure: (input) => ({ ...input, upstream: { ...input.upstream, url: upstream.url } }),
    })
  })
  afterAll(async () => {
    await faulty.close()
    await upstream.close()
  })

  it('drops the upstream Server and X-Powered-By headers and adds none of its own', async () => {
    const res = await fetch(`${faulty.url}/topics`, { headers: { authorization: `Bearer ${await faulty.token()}` } })
    expect(res.status).toBe(200)
    expect(upstream.seen).toHaveLength(1)
    expect(res.headers.get('server')).toBeNull()
    expect(res.headers.get('x-powered-by')).toBeNull()
  })
})
