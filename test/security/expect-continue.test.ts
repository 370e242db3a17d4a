// `Expect: 100-continue` is answered only once authentication and the policy accepted the request: refusals come
// without a 100 and close the connection, so a tokenless client is never invited to upload.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { continueExchange } from '../support/expect-continue.js'
import { CT, V2, V2_BINARY } from '../support/http.js'
import { type Stack, startStack } from '../support/stack.js'

let stack: Stack
let token: string

beforeAll(async () => {
  stack = await startStack({ configure: (input) => ({ ...input, policy: { deny: ['/admin/**'] } }) })
  token = await stack.token('carol')
})
afterAll(() => stack.close())

/** `auth`: the Authorization value; null sends none. A start line ending in `@host` sends that Host. */
function send(start: string, contentType: string, body: string, auth: string | null = `Bearer ${token}`) {
  const [line = '', host = new URL(stack.url).host] = start.split(' @')
  const lines = [
    line,
    `Host: ${host}`,
    ...(auth ? [`Authorization: ${auth}`] : []),
    `Content-Type: ${contentType}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Expect: 100-continue',
  ]
  return continueExchange(stack.url, lines.join('\r\n'), body)
}

const records = JSON.stringify({ records: [{ value: 'eA==' }] })
const v3Record = JSON.stringify({ value: { type: 'BINARY', data: 'eA==' } })

describe('refusals: no 100, the final answer, Connection: close, nothing upstream', () => {
  it.each([
    ['no token', 'POST /topics/t HTTP/1.1', V2_BINARY, records, null, 401, 40190],
    ['a bad token', 'POST /topics/t HTTP/1.1', V2_BINARY, records, 'Bearer not.a.jwt', 401, 40191],
    ['a denied route', 'POST /admin/topics HTTP/1.1', CT.J, '{}', 'default', 403, 40391],
    ['an avro produce', 'POST /topics/t HTTP/1.1', CT.V2A, records, 'default', 415, 41501],
    ['an illegal topic name', 'POST /topics/a%20b HTTP/1.1', V2_BINARY, records, 'default', 400, 40090],
    ['a Host with userinfo', 'POST /consumers/g HTTP/1.1 @user@evil.example', V2, '{}', 'default', 400, 40090],
  ])('%s', async (_name, start, contentType, body, auth, status, errorCode) => {
    stack.emulator.clearRequests()
    const answer = await send(start, contentType, body, auth === 'default' ? `Bearer ${token}` : auth)
    expect(answer.continued).toBe(false)
    expect(answer.status).toBe(status)
    expect(JSON.parse(answer.body).error_code).toBe(errorCode)
    expect(answer.headers.connection).toBe('close')
    expect(answer.closed).toBe(true)
    if (status === 401) expect(answer.headers['www-authenticate']).toMatch(/^Bearer realm=/)
    expect(stack.emulator.requests).toEqual([])
  })
})

describe('accepted requests: the 100 comes first, then the body is read and forwarded', () => {
  it('a v2 binary produce (the proxy streams the body)', async () => {
    stack.emulator.clearRequests()
    const answer = await send('POST /topics/continue-v2 HTTP/1.1', V2_BINARY, records)
    expect(answer.continued).toBe(true)
    expect(answer.status).toBe(200)
    expect(stack.emulator.requests.map((r) => r.body?.toString())).toEqual([records])
  })

  it('a consumer creation (the policy reads the body)', async () => {
    stack.emulator.clearRequests()
    const body = JSON.stringify({ name: 'c1', format: 'binary' })
    const answer = await send('POST /consumers/continue-group HTTP/1.1', V2, body)
    expect(answer.continued).toBe(true)
    expect(answer.status).toBe(200)
    expect(stack.emulator.requests.map((r) => r.body?.toString())).toEqual([body])
  })

  it('a v3 produce (the policy reads every record)', async () => {
    stack.emulator.clearRequests()
    const answer = await send('POST /v3/clusters/c/topics/continue-v3/records HTTP/1.1', CT.J, v3Record)
    expect(answer.continued).toBe(true)
    expect(answer.status).toBe(200)
    expect(stack.emulator.requests).toHaveLength(1)
  })
})
