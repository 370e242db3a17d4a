// Fuzzing request lines, headers and bodies (fast-check, bounded runs): never a 5xx, nothing upstream for what the
// gateway refuses, everything else forwarded once, no client forwarding header upstream, and the event loop stays free.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CT, V2, V2_BINARY } from '../support/http.js'
import { withinLoopDelay } from '../support/loop-delay.js'
import { parseAnswer, type RawAnswer, rawExchange } from '../support/raw-socket.js'
import { type Stack, startStack } from '../support/stack.js'

let stack: Stack
let token: string
let host: string
/** A consumer instance the fuzzer created, so body routes on it reach their checks. */
const INSTANCE = '/consumers/fz-group/instances/fz'
const SPOOF = 'fuzz-spoof'
const RUNS = { numRuns: 120 }

beforeAll(async () => {
  stack = await startStack({
    configure: (input) => ({
      ...input,
      policy: { deny: ['/admin/**', 'DELETE /**/subscription'] },
      // High budgets: a limit that trips would answer every later case with 429 and leave the rest unexplored.
      rateLimit: { requests: 1_000_000, preAuth: { failures: 1_000_000 } },
      authz: {
        enabled: true,
        rules: [{ subject: 'fuzzer', produce: ['t', 'fz.*'], consume: ['t', 'fz.*'] }],
        // Both answer with the upstream's own words (no gateway marker), which this suite could not tell apart.
        hideTopics: false,
        consumers: { ownership: false },
      },
    }),
  })
  token = await stack.token('fuzzer')
  host = new URL(stack.url).host
  const created = await exchange('POST', '/consumers/fz-group', { 'Content-Type': V2 }, '{"name":"fz"}')
  expect(created.status).toBe(200)
  const subscribed = await exchange('POST', `${INSTANCE}/subscription`, { 'Content-Type': V2 }, '{"topics":["t"]}')
  expect(subscribed.status).toBe(204)
})
afterAll(() => stack.close())

/** One request over a raw socket, `Connection: close`, with the fuzzer's token unless `headers` says otherwise. */
async function exchange(
  method: string,
  target: string,
  headers: Record<string, string>,
  body = '',
): Promise<RawAnswer> {
  const all: Record<string, string> = { Host: host, Authorization: `Bearer ${token}`, ...headers, Connection: 'close' }
  // An empty Authorization means: send none.
  if (all.Authorization === '') delete all.Authorization
  const chunked = 'Transfer-Encoding' in all
  if (body !== '' && !('Content-Length' in all) && !chunked) all['Content-Length'] = String(Buffer.byteLength(body))
  // A chunked request ends with its last chunk, body or not; otherwise the server rightly waits for it.
  if (chunked) body = `${body ? `${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n` : ''}0\r\n\r\n`
  const head = Object.entries(all)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')
  const answer = await rawExchange(stack.url, Buffer.from(`${method} ${target} HTTP/1.1\r\n${head}\r\n${body}`, 'utf8'))
  return finalAnswer(answer)
}

/** Skips an interim `100 Continue` (sent when the gateway read the body of a request with Expect) to the real answer. */
function finalAnswer(answer: RawAnswer): RawAnswer {
  const interim = /^HTTP\/1\.1 100 [^\r]*\r\n\r\n/.exec(answer.text)
  if (!interim) return answer
  const text = answer.text.slice(interim[0].length)
  return { ...answer, ...parseAnswer(text), text }
}

/**
 * The invariants every fuzzed exchange must keep. A gateway answer carries X-Gateway-Error (no disguised refusal is
 * configured here); anything else is the upstream's, which may be a 5xx of its own (the emulator answers 50002 to a
 * read on a consumer whose fuzzed assignment left it without partitions, as Confluent's proxy does).
 */
async function checked(send: () => Promise<RawAnswer>): Promise<void> {
  const before = stack.emulator.requests.length
  const answer = await send()
  const reached = stack.emulator.requests.slice(before)
  const gatewayError = answer.headers['x-gateway-error']
  expect(answer.status, answer.text.slice(0, 300)).toBeGreaterThanOrEqual(100)
  if (gatewayError !== undefined) {
    expect(answer.status, answer.text.slice(0, 300)).toBeLessThan(500)
    expect(reached).toEqual([])
  } else {
    expect(reached).toHaveLength(1)
  }
  for (const seen of reached) expect(JSON.stringify(seen.headers)).not.toContain(SPOOF)
}

/**
 * Runs a property; each exchange runs with the event loop watched (and is sent again when the machine, not the
 * gateway, paused the process: see withinLoopDelay).
 */
async function fuzz<T>(arbitrary: fc.Arbitrary<T>, send: (value: T) => Promise<RawAnswer>): Promise<void> {
  await fc.assert(
    fc.asyncProperty(arbitrary, (value) => withinLoopDelay(() => checked(() => send(value)))),
    RUNS,
  )
}

const segment = fc.oneof(
  fc.constantFrom(
    'topics',
    'TOPICS',
    'consumers',
    'instances',
    'fz-group',
    'fz',
    'subscription',
    'assignments',
    'positions',
    'records',
    'records:batch',
    'offsets',
    'partitions',
    'messages',
    'v3',
    'clusters',
    'kafka',
    'admin',
    't',
    'fz.a',
    '0',
    '-1',
    '%74opics',
    '%2e%2e',
    '%2E',
    '%2F',
    '%252e',
    '%00',
    '%C3',
    'caf%C3%A9',
    'a%20b',
    ';x=1',
    't;x=1',
    '*',
    '%7Btopic%7D',
    '..',
    '.',
  ),
  fc.string({ maxLength: 12, unit: fc.constantFrom('a', '.', '-', '_', '%', '2', 'e', 'F', '*') }),
  fc.constantFrom('x'.repeat(300), '.'.repeat(3_000)),
)

describe('request lines', () => {
  it('methods and paths of every shape', async () => {
    const method = fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'FUZZ')
    const target = fc
      .tuple(fc.array(segment, { maxLength: 8 }), fc.boolean(), fc.constantFrom('', '?a=b', '?access_token=x', '?%00'))
      .map(([parts, slash, query]) => `/${parts.join('/')}${slash && parts.length > 0 ? '/' : ''}${query}`)
    const auth = fc.constantFrom(undefined, '', 'Bearer not.a.token')
    await fuzz(fc.tuple(method, target, auth), ([verb, path, authorization]) => {
      const headers: Record<string, string> = verb === 'POST' ? { 'Content-Type': V2_BINARY } : {}
      if (authorization !== undefined) headers.Authorization = authorization
      return exchange(verb, path, headers, verb === 'POST' ? '{}' : '')
    })
  })
})

describe('headers', () => {
  const header = fc.constantFrom<[string, string]>(
    ['Content-Type', CT.V2A],
    ['Content-Type', `${V2_BINARY}; charset=utf-8`],
    ['Content-Type', 'APPLICATION/VND.KAFKA.BINARY.V2+JSON'],
    ['Content-Type', 'text/plain'],
    ['Content-Type', ''],
    ['Accept', CT.V2J],
    ['Accept', `${CT.V2J};q=1, ${CT.V2B};q=0.1`],
    ['Accept', '*/*'],
    ['X-Forwarded-For', SPOOF],
    ['X-Forwarded-Host', SPOOF],
    ['X-Forwarded-Prefix', `/${SPOOF}`],
    ['X-Original-URL', `/${SPOOF}`],
    ['X-Real-IP', SPOOF],
    ['Forwarded', `for=${SPOOF}`],
    ['Via', `1.1 ${SPOOF}`],
    ['True-Client-IP', SPOOF],
    ['X-HTTP-Method-Override', 'DELETE'],
    ['Expect', '100-continue'],
    ['Connection', 'X-Auth-Token, Content-Type'],
    ['Authorization', 'Bearer not.a.token'],
    ['Authorization', 'Basic Zm9vOmJhcg=='],
    ['X-Auth-Token', 'another'],
    ['Host', 'user@evil.example'],
    ['Host', 'evil.example:443/phish?'],
    ['Host', '[::1]:8080'],
    ['Upgrade', 'websocket'],
    ['Transfer-Encoding', 'chunked'],
    // (A Content-Length shorter than the body is left out: the rest would be a second request on the connection.)
    ['Content-Length', 'abc'],
    ['Origin', 'https://evil.example'],
    ['X-Note', 'v'.repeat(8_000)],
  )
  it('any combination on a produce, a consume and a consumer creation', async () => {
    const call = fc.constantFrom(
      ['POST', '/topics/t', `{"records":[{"value":"eA=="}]}`],
      ['GET', `${INSTANCE}/records?timeout=0`, ''],
      ['POST', '/consumers/fz-group', '{"format":"binary"}'],
    )
    await fuzz(
      fc.tuple(call, fc.uniqueArray(header, { maxLength: 6, selector: ([name]) => name })),
      ([req, chosen]) => {
        const [method, path, body] = req as [string, string, string]
        const headers: Record<string, string> = { 'Content-Type': path.endsWith('/t') ? V2_BINARY : V2 }
        for (const [name, value] of chosen) headers[name] = value
        return exchange(method, path, headers, body)
      },
    )
  })
})

describe('bodies', () => {
  const deep = fc
    .tuple(fc.integer({ min: 1, max: 100_000 }), fc.constantFrom('[', '{"a":'), fc.boolean())
    .map(([depth, open, closed]) => `${open.repeat(depth)}1${closed ? (open === '[' ? ']' : '}').repeat(depth) : ''}`)
  const record = fc.record(
    {
      key: fc.oneof(
        fc.constant(null),
        fc.record({ type: fc.constantFrom('BINARY', 'binary', 'JSON', 'AVRO'), data: fc.string() }),
      ),
      value: fc.oneof(
        fc.jsonValue({ maxDepth: 3 }),
        fc.record({ type: fc.constantFrom('BINARY', 'JSON'), data: fc.base64String() }),
      ),
    },
    { requiredKeys: [] },
  )
  const body = fc.oneof(
    fc.json({ maxDepth: 4 }),
    fc.string({ maxLength: 200 }),
    deep,
    record.map((r) => JSON.stringify(r)),
    fc.array(record, { maxLength: 5 }).map((entries) => JSON.stringify({ entries })),
    fc
      .record({ format: fc.constantFrom('binary', 'json', 'JSON', 'avro', 7), name: fc.string({ maxLength: 300 }) })
      .map((r) => JSON.stringify(r)),
    fc
      .record({ topics: fc.array(fc.constantFrom('t', 'fz.x', 'secret', '..', '.'.repeat(500), 7), { maxLength: 4 }) })
      .map((r) => JSON.stringify(r)),
    fc
      .record({
        partitions: fc.array(fc.record({ topic: fc.constantFrom('t', 'secret', 'a b', ''), partition: fc.nat(3) }), {
          maxLength: 3,
        }),
      })
      .map((r) => JSON.stringify(r)),
  )
  const route = fc.constantFrom(
    ['/v3/clusters/c/topics/t/records', 'application/json'],
    ['/v3/clusters/c/topics/t/records:batch', 'application/json'],
    ['/consumers/fz-group', V2],
    [`${INSTANCE}/subscription`, V2],
    [`${INSTANCE}/assignments`, V2],
    [`${INSTANCE}/positions`, V2],
    ['/topics/t', V2_BINARY],
  )
  it('any body on every route that reads one', async () => {
    await fuzz(fc.tuple(route, body), ([[path, type], text]) =>
      exchange('POST', path as string, { 'Content-Type': type as string }, text),
    )
  })
})
