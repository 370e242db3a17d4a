// Hostile clients over raw sockets: no other host, no upgrades, header limits, idle floods.
import type net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually } from '../support/eventually.js'
import { V2_BINARY } from '../support/http.js'
import { openSocket, rawExchange } from '../support/raw-socket.js'
import { type Stack, startStack } from '../support/stack.js'

let stack: Stack
let token: string

beforeAll(async () => {
  stack = await startStack({
    configure: (input) => ({
      ...input,
      server: { ...input.server, maxHeaderBytes: 8_192, keepAliveTimeoutMs: 2_000, headersTimeoutMs: 2_000 },
    }),
  })
  token = await stack.token('mallory')
})
afterAll(() => stack.close())

const withToken = (requestLine: string, extra = '') =>
  `${requestLine}\r\nHost: gateway\r\nAuthorization: Bearer ${token}\r\n${extra}\r\n`

async function expectRefused(bytes: string, status: number, error: string) {
  stack.emulator.clearRequests()
  const answer = await rawExchange(stack.url, bytes)
  expect(answer.status).toBe(status)
  expect(JSON.parse(answer.body)).toMatchObject({ error })
  expect(answer.closed).toBe(true)
  expect(stack.emulator.requests).toEqual([])
}

describe('absolute-form targets and CONNECT cannot reach another host', () => {
  it.each([
    ['an absolute-form target on another host', () => withToken('GET http://evil.example/topics HTTP/1.1')],
    [
      'an absolute-form target naming the upstream itself',
      () => withToken(`GET ${stack.emulator.url}/topics HTTP/1.1`),
    ],
    ['an authority-form target on GET', () => withToken('GET evil.example:443 HTTP/1.1')],
    ['the asterisk form', () => withToken('OPTIONS * HTTP/1.1')],
  ])('%s → 400, nothing upstream', async (_name, bytes) => {
    await expectRefused(bytes(), 400, 'BAD_REQUEST')
  })

  it('answers CONNECT with 405 and closes, so nothing can be tunnelled after it', async () => {
    const target = new URL(stack.emulator.url).host
    const tunnelled = `GET /topics HTTP/1.1\r\nHost: ${target}\r\nX-Auth-Token: ${stack.apiKey}\r\n\r\n`
    await expectRefused(withToken(`CONNECT ${target} HTTP/1.1`) + tunnelled, 405, 'METHOD_NOT_ALLOWED')
  })
})

describe('protocol upgrades are refused', () => {
  it.each([
    [
      'WebSocket',
      'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\n',
    ],
    ['h2c', 'Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n'],
    ['an Upgrade header without Connection: Upgrade', 'Upgrade: websocket\r\n'],
  ])('%s → 400, nothing upstream', async (_name, headers) => {
    await expectRefused(withToken('GET /topics HTTP/1.1', headers), 400, 'BAD_REQUEST')
  })

  it('answers the HTTP/2 prior-knowledge preface with 400', async () => {
    await expectRefused('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 400, 'BAD_REQUEST')
  })
})

describe('header limits', () => {
  it.each([
    ['one header over server.maxHeaderBytes', `X-Big: ${'a'.repeat(9_000)}\r\n`],
    ['a 100 KB bearer token', `X-Auth-Token: ${'a'.repeat(100_000)}\r\n`],
    ['200 small headers', Array.from({ length: 200 }, (_, i) => `X-H${i}: v\r\n`).join('')],
    ['101 headers, one over server.maxHeaders', Array.from({ length: 99 }, (_, i) => `X-H${i}: v\r\n`).join('')],
  ])('%s → 431, nothing upstream', async (_name, headers) => {
    await expectRefused(withToken('GET /topics HTTP/1.1', headers), 431, 'HEADERS_TOO_LARGE')
  })

  it('serves requests right at the limits, and keeps serving after refusals', async () => {
    const atCount = Array.from({ length: 97 }, (_, i) => `X-H${i}: v\r\n`).join('') // with Host, Authorization, Connection
    const atSize = `X-Big: ${'a'.repeat(7_000)}\r\n`
    for (const headers of [atCount, atSize]) {
      const answer = await rawExchange(stack.url, withToken('GET /topics HTTP/1.1', `${headers}Connection: close\r\n`))
      expect(answer.status).toBe(200)
    }
  })
})

describe('a thousand idle sockets', () => {
  it('do not stop a normal request, and are closed at the header and keep-alive timeouts', async () => {
    const sockets = await Promise.all(Array.from({ length: 1_000 }, () => openSocket(stack.url)))
    let closed = 0
    for (const socket of sockets) {
      socket.on('close', () => closed++)
      socket.on('error', () => {})
      socket.resume() // reads whatever comes, so the server's close is seen
    }
    // Half go idle after one keep-alive request; the other half never send a byte.
    await Promise.all(sockets.slice(0, 500).map((socket) => keepAliveRequest(socket)))
    expect(closed).toBe(0)

    const res = await fetch(`${stack.url}/topics/idle-flood`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': V2_BINARY },
      body: JSON.stringify({ records: [{ value: 'eA==' }] }),
    })
    expect(res.status).toBe(200)
    expect(closed).toBe(0)

    await eventually(() => closed === 1_000, { timeoutMs: 15_000, intervalMs: 50 })
  })
})

function keepAliveRequest(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => {
    socket.once('data', () => resolve())
    socket.write('GET /healthz HTTP/1.1\r\nHost: gateway\r\n\r\n')
  })
}
