// Produce quotas: body size cap (413), bytes and records per window (429), counted as bodies stream; refused bytes stay here.
import http from 'node:http'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { eventually } from '../support/eventually.js'
import { rawRequest, V2_BINARY } from '../support/http.js'
import { type RecordingUpstream, startRecordingUpstream } from '../support/recording-upstream.js'
import { expectRawRefusal } from '../support/refusal.js'
import { type Stack, startStack } from '../support/stack.js'

let stack: Stack
let upstream: RecordingUpstream
// A clock that stands still: every budget here is spent at one instant.
const T0 = Date.now()

beforeAll(async () => {
  upstream = await startRecordingUpstream()
  stack = await startStack({
    deps: { now: () => T0 },
    configure: (input) => ({
      ...input,
      upstream: { ...input.upstream, url: upstream.url },
      rateLimit: {
        windowSeconds: 60,
        produce: { bytesPerWindow: 1000, recordsPerWindow: 6, maxBodyBytes: 600 },
        overrides: [{ subject: 'tiny', produce: { bytesPerWindow: 300 } }],
      },
    }),
  })
})
afterAll(async () => {
  await stack.close()
  await upstream.close()
})
beforeEach(() => {
  upstream.seen.length = 0
})

/** The upstream got the bodies of `sizes` complete, and not a byte of anything else. */
function expectUpstreamGot(sizes: number[]): void {
  expect(upstream.seen.filter((seen) => seen.completed).map((seen) => seen.bytes)).toEqual(sizes)
  const cutOff = upstream.seen.filter((seen) => !seen.completed)
  expect(cutOff.reduce((sum, seen) => sum + seen.bytes, 0)).toBe(0)
}

/** A v2 binary produce body of `records` records and exactly `size` bytes. */
function body(records: number, size: number): string {
  const empty = JSON.stringify({ records: Array.from({ length: records }, () => ({ value: '' })) })
  const pad = 'A'.repeat(size - empty.length)
  return JSON.stringify({ records: Array.from({ length: records }, (_, i) => ({ value: i === 0 ? pad : '' })) })
}

async function produce(sub: string, text: string, chunked = false) {
  return rawRequest(`${stack.url}/topics/orders`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await stack.token(sub)}`, 'content-type': V2_BINARY },
    body: text,
    chunked,
  })
}

describe('body size cap', () => {
  it('refuses a Content-Length over maxBodyBytes with 413 before anything goes upstream', async () => {
    const res = await produce('sam', body(1, 700))
    expect(res.status).toBe(413)
    expect(res.json()).toMatchObject({ error: 'PAYLOAD_TOO_LARGE', error_code: 41390 })
    expect(res.headers.connection).toBe('close')
    expectUpstreamGot([])
    expect(stack.gateway.limits.stats.tooLarge).toBe(1)
  })

  it('refuses a body larger than the whole byte quota with 413, since waiting would never help', async () => {
    const res = await produce('tiny', body(1, 400))
    expect(expectRawRefusal(res, 'PAYLOAD_TOO_LARGE').message).toBe(
      'The request body is larger than the whole byte quota',
    )
    expect(upstream.seen).toHaveLength(0)
  })

  it('cuts a chunked upload mid-stream once it passes the cap: 413, and upstream never gets a complete request', async () => {
    const token = await stack.token('sid')
    const req = http.request(`${stack.url}/topics/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': V2_BINARY },
    })
    const answer = new Promise<http.IncomingMessage>((resolve) => req.once('response', resolve))
    const first = `{"records":[{"value":"${'A'.repeat(400)}`
    req.write(first)
    await eventually(() => upstream.seen[0]?.bytes === first.length)
    req.write(`${'A'.repeat(400)}"}]}`)
    const res = await answer
    expect(res.statusCode).toBe(413)
    req.destroy()
    expect(upstream.seen).toHaveLength(1)
    expect(upstream.seen[0]).toMatchObject({ bytes: first.length, completed: false })
  })
})

describe('bytes per window', () => {
  it('lets bodies through until the bytes run out, then 429 for the one that does not fit, none of it sent', async () => {
    const answers = [await produce('bea', body(1, 400)), await produce('bea', body(1, 400))]
    expect(answers.map((res) => res.status)).toEqual([200, 200])
    expect(answers[1]?.headers.ratelimit).toBe(
      '"produce";r=5998;t=1, "produce-bytes";r=200;t=48, "produce-records";r=4;t=20',
    )
    const refused = await produce('bea', body(1, 400))
    expect(refused.status).toBe(429)
    // 200 more bytes are needed, at 1000 bytes per 60 s.
    expect(refused.headers['retry-after']).toBe('12')
    expect(refused.headers['ratelimit-policy']).toBe(
      '"produce";q=6000;w=60, "produce-bytes";q=1000;qu="content-bytes";w=60, "produce-records";q=6;qu="records";w=60',
    )
    expect(refused.json()).toMatchObject({ error_code: 42901, error: 'RATE_LIMITED' })
    expectUpstreamGot([400, 400])
  })

  it('charges a chunked body by what streamed, before the upstream answers', async () => {
    expect((await produce('chuck', body(1, 300), true)).status).toBe(200)
    const next = await produce('chuck', body(1, 100))
    expect(next.headers.ratelimit).toMatch(/"produce-bytes";r=600;/)
  })

  it('cuts a chunked upload that needs more bytes than are left: 429', async () => {
    await produce('cora', body(1, 500))
    const res = await produce('cora', body(1, 550), true)
    expect(expectRawRefusal(res, 'RATE_LIMITED').message).toBe('Produce quota used up during this upload')
    expectUpstreamGot([500])
  })
})

describe('records per window', () => {
  it('counts records as the body streams and cuts the body that has more than are left', async () => {
    expect((await produce('rita', body(4, 200))).status).toBe(200)
    const cut = await produce('rita', body(4, 200))
    expectRawRefusal(cut, 'RATE_LIMITED')
    expectUpstreamGot([200])
    // The cut body sent nothing and was charged nothing beyond its reserved record: one record is left.
    expect((await produce('rita', body(1, 100))).status).toBe(200)
    const refused = await produce('rita', body(1, 100))
    expectRawRefusal(refused, 'RATE_LIMITED')
    expect(refused.headers['retry-after']).toBe('10')
  })
})

describe('records of v3 produce, counted by the policy that read the body', () => {
  const record = JSON.stringify({ value: { type: 'BINARY', data: 'eA==' } })
  const v3 = async (sub: string, path: string, text: string) =>
    rawRequest(`${stack.url}/v3/clusters/c/topics/orders/${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await stack.token(sub)}`, 'content-type': 'application/json' },
      body: text,
    })

  it('charges a streamed v3 produce by its records, up front', async () => {
    expect((await v3('vera', 'records', record.repeat(4))).headers.ratelimit).toMatch(/"produce-records";r=2;/)
    const refused = await v3('vera', 'records', record.repeat(3))
    expectRawRefusal(refused, 'RATE_LIMITED')
    expectUpstreamGot([record.length * 4])
  })

  it('refuses with 413 a batch with more entries than the whole record quota', async () => {
    const batch = JSON.stringify({
      entries: Array.from({ length: 7 }, (_, i) => ({ id: String(i), ...JSON.parse(record) })),
    })
    const res = await v3('vic', 'records:batch', batch)
    expect(expectRawRefusal(res, 'PAYLOAD_TOO_LARGE').message).toBe(
      'The request has more records than the whole record quota',
    )
    expectUpstreamGot([])
  })
})
