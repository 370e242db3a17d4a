// Hostile input costs nothing: deep JSON, illegal names and patterns with many stars are refused or matched in linear
// time, with the event loop free the whole time (the gateway runs in this process, so its stalls show here).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RawResponse, rawRequest, V2 } from '../support/http.js'
import { LOOP_DELAY_BOUND_MS, measureLoopDelay, withinLoopDelay } from '../support/loop-delay.js'
import { type Stack, startStack } from '../support/stack.js'

let stack: Stack
let token: string

const DENY = '/**/a/**/b/**/c/**/d'
beforeAll(async () => {
  stack = await startStack({
    configure: (input) => ({
      ...input,
      policy: { deny: [DENY] },
      authz: {
        enabled: true,
        rules: [{ subject: 'mallory', produce: ['t', '*.*.*.*.*.*x'], consume: ['*.*.*.*.*.*x', 'c.*'] }],
      },
    }),
  })
  token = await stack.token('mallory')
  // Warm up: the first request compiles the gateway's code paths, which is not what is measured here.
  await send({ path: '/topics' })
})
afterAll(() => stack.close())

interface Call {
  method?: string
  path: string
  contentType?: string
  body?: string
}

function send({ method = 'GET', path, contentType, body }: Call): Promise<RawResponse> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` }
  if (contentType) headers['content-type'] = contentType
  return rawRequest(`${stack.url}${path}`, { method, headers, body })
}

/** Sends the call with the loop monitored; asserts the refusal, its gateway code and that nothing went upstream. */
async function expectRefused(call: Call, status: number, errorCode: number, message?: RegExp): Promise<void> {
  stack.emulator.clearRequests()
  const res = await withinLoopDelay(() => send(call))
  expect(res.status).toBe(status)
  const body = res.json<{ error_code: number; message: string }>()
  expect(body.error_code).toBe(errorCode)
  if (message) expect(body.message).toMatch(message)
  expect(stack.emulator.requests).toEqual([])
}

const v3 = (body: string): Call => ({
  method: 'POST',
  path: '/v3/clusters/c/topics/t/records',
  contentType: 'application/json',
  body,
})
const DOTS = '.'.repeat(5_000)
/** The longest legal topic name: made to make a backtracking `.*\..*\.…x` regex try every split of its dots. */
const LEGAL_DOTS = `${'.'.repeat(248)}y`

describe('the event-loop guard', () => {
  it('sees a stall: 100 ms of blocking work is reported above the bound', async () => {
    const block = async () => {
      const until = performance.now() + 100
      while (performance.now() < until) {
        /* block the loop on purpose */
      }
    }
    expect((await measureLoopDelay(block)).maxMs).toBeGreaterThanOrEqual(LOOP_DELAY_BOUND_MS)
    await expect(withinLoopDelay(block)).rejects.toThrow(/stalled on every run/)
  })
})

describe('JSON bodies: depth and size', () => {
  it.each([
    ['300,000 nested arrays', `${'['.repeat(300_000)}${']'.repeat(300_000)}`],
    ['300,000 nested arrays, never closed', '['.repeat(300_000)],
    ['300,000 nested objects', `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`],
    ['a record whose value nests 65 levels', `{"value":${'['.repeat(64)}${']'.repeat(64)}}`],
  ])('v3 produce of %s → 400, nothing upstream, loop free', async (_name, body) => {
    await expectRefused(v3(body), 400, 40090, /deeper than 64 levels/)
  })

  // Under the 1 MiB default limit: linear, but one JSON.parse of half a million tiny values blocks the loop for long.
  const JSON_RECORD = '{"value":{"type":"JSON","data":1}}'
  it.each([
    ['a stream of 520,000 empty records', `${'{}'.repeat(520_000)}${JSON_RECORD}`, 415, 41501],
    ['an array of 340,000 empty records', `[${'{},'.repeat(340_000)}${JSON_RECORD}]`, 415, 41501],
    [
      'arrays of arrays of 1,000 empty records',
      `[${`[${'{},'.repeat(1_000)}{}],`.repeat(300)}[${JSON_RECORD}]]`,
      415,
      41501,
    ],
    ['one record with 200,000 headers', `{"headers":[${'{},'.repeat(200_000)}{}],"value":${JSON_RECORD}}`, 400, 40090],
  ] as const)('v3 produce of %s → refused, nothing upstream, loop free', async (_name, body, status, code) => {
    await expectRefused(v3(body), status, code)
  })

  it('a v3 batch of 60,000 entries → 400, nothing upstream, loop free', async () => {
    const body = `{"entries":[${'{"id":"1"},'.repeat(60_000)}{"id":"2"}]}`
    await expectRefused({ ...v3(body), path: '/v3/clusters/c/topics/t/records:batch' }, 400, 40090, /4096/)
  })

  it('v3 produce over maxV3Body → 413 before reading it all', async () => {
    await expectRefused(v3(`[${'1,'.repeat(600_000)}1]`), 413, 41390)
  })

  it('subscription body nested 30,000 deep → 400, nothing upstream', async () => {
    const body = `{"topics":${'['.repeat(30_000)}${']'.repeat(30_000)}}`
    await expectRefused(
      { method: 'POST', path: '/consumers/g/instances/i/subscription', contentType: V2, body },
      400,
      40090,
      /deeper than 64/,
    )
  })
})

describe('names: Kafka topic rules before any permission matching', () => {
  it.each([
    ['5,000 dots in a consume path', `/topics/${DOTS}/partitions/0/messages`],
    ['5,000 dots in a v1 consumer path', `/consumers/g/instances/i/topics/${DOTS}`],
    ['a 250-character topic', `/topics/${'a'.repeat(250)}`],
    ['a topic with a space', '/topics/a%20b'],
    ['a non-ASCII topic', '/topics/caf%C3%A9'],
  ])('%s → 400, nothing upstream', async (_name, path) => {
    await expectRefused({ path }, 400, 40090)
  })

  it.each([DOTS, '..', '.', '', 'a/b'])('a topic %j in a subscription body → 400, nothing upstream', async (name) => {
    const body = JSON.stringify({ topics: ['c.ok', name] })
    await expectRefused(
      { method: 'POST', path: '/consumers/g/instances/i/subscription', contentType: V2, body },
      400,
      40090,
      /not a legal Kafka topic name/,
    )
  })

  it('a topic of 5,000 dots in an assignment body → 400, nothing upstream', async () => {
    const body = JSON.stringify({ partitions: [{ topic: DOTS, partition: 0 }] })
    await expectRefused(
      { method: 'POST', path: '/consumers/g/instances/i/assignments', contentType: V2, body },
      400,
      40090,
      /not a legal Kafka topic name/,
    )
  })

  it('the longest legal name made of dots against a pattern with six stars → 403 at once', async () => {
    await expectRefused({ path: `/topics/${LEGAL_DOTS}/partitions/0/messages` }, 403, 40390)
  })

  it('a legal name the six-star pattern allows goes through', async () => {
    stack.emulator.clearRequests()
    const topic = 'a.b.c.d.e.fx'
    const res = await withinLoopDelay(() => send({ path: `/topics/${topic}` }))
    expect(res.status).toBe(404)
    expect(stack.emulator.requests.map((r) => r.url)).toEqual([`/topics/${topic}`])
  })

  it.each([
    ['a group of 256 characters', `/consumers/${'g'.repeat(256)}`, ''],
    ['an instance name of 256 characters in the body', '/consumers/g', JSON.stringify({ name: 'i'.repeat(256) })],
    ['an instance name that is not a string', '/consumers/g', JSON.stringify({ name: 7 })],
  ])('%s → 400, nothing upstream', async (_name, path, body) => {
    await expectRefused({ method: 'POST', path, contentType: V2, body }, 400, 40090, /consumer|name/)
  })

  it('an instance of 256 characters in the path → 400, nothing upstream', async () => {
    await expectRefused({ method: 'DELETE', path: `/consumers/g/instances/${'i'.repeat(256)}` }, 400, 40090)
  })
})

describe('deny patterns with several ** against long paths', () => {
  it('an 11 KB path of 5,500 segments is judged in linear time and not refused by the pattern', async () => {
    stack.emulator.clearRequests()
    const path = `/${'x/'.repeat(5_500)}a`
    const res = await withinLoopDelay(() => send({ path }))
    expect(res.status).toBeLessThan(500)
    expect(res.json<{ error_code: number }>().error_code).not.toBe(40391)
  })

  it('the same path ending in a/b/c/d is refused by the pattern: 403, nothing upstream', async () => {
    await expectRefused({ path: `/${'x/'.repeat(5_500)}a/b/c/d` }, 403, 40391, /policy\.deny/)
  })
})
