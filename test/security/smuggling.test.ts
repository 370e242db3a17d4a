// Request smuggling: ambiguous body framing is refused with 400 and never reaches the REST proxy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { V2_BINARY } from '../support/http.js'
import { rawExchange } from '../support/raw-socket.js'
import { expectRawRefusal } from '../support/refusal.js'
import { type Stack, startStack } from '../support/stack.js'

let stack: Stack
let token: string

beforeAll(async () => {
  stack = await startStack()
  token = await stack.token('mallory')
})
afterAll(() => stack.close())

const body = '{"records":[{"value":"eA=="}]}'
/** A produce request that would pass authentication and policy if its framing were accepted. */
const produce = (framing: string, payload = body) =>
  `POST /topics/smuggle HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer ${token}\r\n` +
  `Content-Type: ${V2_BINARY}\r\n${framing}\r\n${payload}`
const chunked = `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`
/** A second request hidden in the first one's body: it must never be seen upstream either. */
const smuggled = `GET /topics HTTP/1.1\r\nHost: gateway\r\nX-Auth-Token: ${'x'.repeat(10)}\r\n\r\n`

describe('ambiguous framing', () => {
  it.each([
    ['Content-Length with Transfer-Encoding: chunked', `Content-Length: 6\r\nTransfer-Encoding: chunked\r\n`, chunked],
    ['Transfer-Encoding before Content-Length', `Transfer-Encoding: chunked\r\nContent-Length: 6\r\n`, chunked],
    ['two different Content-Length headers', `Content-Length: ${body.length}\r\nContent-Length: 3\r\n`, body],
    ['Content-Length: 1, 2', 'Content-Length: 1, 2\r\n', body],
    ['Content-Length with a sign', `Content-Length: +${body.length}\r\n`, body],
    ['Transfer-Encoding: chunked, identity', 'Transfer-Encoding: chunked, identity\r\n', chunked],
    ['Transfer-Encoding: xchunked', 'Transfer-Encoding: xchunked\r\n', chunked + smuggled],
    ['Transfer-Encoding: gzip, chunked', 'Transfer-Encoding: gzip, chunked\r\n', chunked],
    ['Transfer-Encoding obs-folded', 'Transfer-Encoding:\r\n chunked\r\n', chunked],
    ['space before the colon', 'Transfer-Encoding : chunked\r\n', chunked],
    ['obs-fold in another header', 'X-Note: a\r\n b\r\nContent-Length: 2\r\n', '{}'],
    ['chunk size that is not hex', 'Transfer-Encoding: chunked\r\n', `zz\r\n${body}\r\n0\r\n\r\n`],
  ])('%s → 400, connection closed, nothing upstream', async (_name, framing, payload) => {
    stack.emulator.clearRequests()
    const answer = await rawExchange(stack.url, produce(framing, payload))
    expect(answer.status).toBe(400)
    expect(JSON.parse(answer.body)).toMatchObject({ error_code: 40090, error: 'BAD_REQUEST' })
    expect(answer.closed).toBe(true)
    expect(stack.emulator.requests).toEqual([])
  })

  it('answers a request with bare LF line endings with 400 and forwards nothing', async () => {
    stack.emulator.clearRequests()
    const answer = await rawExchange(stack.url, `GET /topics HTTP/1.1\nHost: g\nAuthorization: Bearer ${token}\n\n`)
    expectRawRefusal(answer, 'BAD_REQUEST')
    expect(stack.emulator.requests).toEqual([])
  })

  it('still serves well-framed requests: Content-Length and chunked both reach upstream once', async () => {
    stack.emulator.clearRequests()
    const withLength = await rawExchange(stack.url, produce(`Content-Length: ${body.length}\r\nConnection: close\r\n`))
    const withChunks = await rawExchange(
      stack.url,
      produce('Transfer-Encoding: chunked\r\nConnection: close\r\n', chunked),
    )
    expect([withLength.status, withChunks.status]).toEqual([200, 200])
    expect(stack.emulator.requests.map((r) => [r.method, r.url, r.bodyLength])).toEqual([
      ['POST', '/topics/smuggle', body.length],
      ['POST', '/topics/smuggle', body.length],
    ])
  })
})
