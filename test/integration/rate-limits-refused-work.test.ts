// Refused work is charged: a request spends one unit of its caller's budget before any body is read, so a caller whose
// bodies are refused (deep JSON, bad formats, denied routes) runs out like any other and is then not even parsed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RawResponse, rawRequest, V2, V2_BINARY } from '../support/http.js'
import { type Stack, startStack } from '../support/stack.js'

let stack: Stack
// Real time at start (tokens are minted with real expiry), then a clock that stands still: no budget refills.
const T0 = Date.now()

beforeAll(async () => {
  stack = await startStack({
    deps: { now: () => T0 },
    configure: (input) => ({
      ...input,
      policy: { deny: ['/admin/**'] },
      rateLimit: { requests: 3, windowSeconds: 3600 },
    }),
  })
})
afterAll(() => stack.close())

const DEEP = `${'['.repeat(100_000)}${']'.repeat(100_000)}`

async function send(token: string, method: string, path: string, contentType: string, body: string) {
  return rawRequest(`${stack.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
    body,
  })
}

const errorCode = (res: RawResponse) => res.json<{ error_code: number }>().error_code

describe('the budget is spent before the body is read', () => {
  it.each([
    [
      'deeply nested v3 produce bodies',
      'produce',
      'POST',
      '/v3/clusters/c/topics/t/records',
      'application/json',
      DEEP,
      40090,
    ],
    ['consumer creations asking for JSON', 'lifecycle', 'POST', '/consumers/g', V2, '{"format":"json"}', 41501],
    ['avro produce', 'produce', 'POST', '/topics/t', 'application/vnd.kafka.avro.v2+json', '{}', 41501],
    ['a denied route', 'other', 'GET', '/admin/x', V2, '', 40391],
  ])(
    '%s: three refusals spend the budget, then 429 without parsing, nothing upstream',
    async (_n, sub, method, path, type, body, code) => {
      const token = await stack.token(`refused-${sub}-${code}`)
      stack.emulator.clearRequests()
      const refused = [await send(token, method, path, type, body), await send(token, method, path, type, body)]
      refused.push(await send(token, method, path, type, body))
      expect(refused.map((res) => res.status)).toEqual(Array(3).fill(Math.floor(code / 100)))
      expect(refused.map(errorCode)).toEqual([code, code, code])
      expect(refused.map((res) => res.headers.ratelimit)).toEqual([
        expect.stringMatching(/;r=2;/),
        expect.stringMatching(/;r=1;/),
        expect.stringMatching(/;r=0;/),
      ])
      // The same hostile body again: refused by the limit before the policy reads it.
      const limited = await send(token, method, path, type, body)
      expect(limited.status).toBe(429)
      expect(errorCode(limited)).toBe(42901)
      expect(stack.emulator.requests).toEqual([])
    },
  )

  it('a valid request after the refusals is limited too, and never reaches the upstream', async () => {
    const token = await stack.token('mixed')
    stack.emulator.clearRequests()
    for (let i = 0; i < 3; i++) {
      expect((await send(token, 'POST', '/v3/clusters/c/topics/t/records', 'application/json', DEEP)).status).toBe(400)
    }
    const valid = await send(token, 'POST', '/topics/t', V2_BINARY, JSON.stringify({ records: [{ value: 'eA==' }] }))
    expect(valid.status).toBe(429)
    expect(valid.headers.connection).toBe('close')
    expect(stack.emulator.requests).toEqual([])
  })
})
