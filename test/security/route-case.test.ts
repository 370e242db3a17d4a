// Route words in any case and any percent-encoding are judged as the route they spell: a non-binary request never
// reaches upstream, and the binary request on the same spelling does (so the refusal is the format policy's).
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { b64, CT, rawRequest } from '../support/http.js'
import { type RecordingUpstream, startRecordingUpstream } from '../support/recording-upstream.js'
import { type Stack, startStack } from '../support/stack.js'

let stack: Stack
let upstream: RecordingUpstream
let token: string

beforeAll(async () => {
  upstream = await startRecordingUpstream()
  stack = await startStack({ configure: (input) => ({ ...input, upstream: { ...input.upstream, url: upstream.url } }) })
  token = await stack.token()
})
afterAll(async () => {
  await stack.close()
  await upstream.close()
})

interface Variant {
  headers: Record<string, string>
  body?: unknown
}

/** A route, spelt as segments (`{…}` stays as written), with a non-binary request and, where it passes, a binary one. */
interface Case {
  method: string
  template: string
  query?: string
  nonBinary: Variant
  binary?: Variant
}

const v3Json = { value: { type: 'JSON', data: { a: 1 } } }
const v3Binary = { value: { type: 'BINARY', data: b64('v') } }
const CASES: Case[] = [
  {
    method: 'POST',
    template: '/topics/{t}',
    nonBinary: { headers: { 'content-type': CT.V2J }, body: { records: [{ value: { a: 1 } }] } },
    binary: { headers: { 'content-type': CT.V2B }, body: { records: [{ value: b64('v') }] } },
  },
  {
    method: 'POST',
    template: '/topics/{t}/partitions/{0}',
    nonBinary: { headers: { 'content-type': CT.V1A }, body: { value_schema: '"int"', records: [{ value: 1 }] } },
    binary: { headers: { 'content-type': CT.V1B }, body: { records: [{ value: b64('v') }] } },
  },
  {
    method: 'GET',
    template: '/topics/{t}/partitions/{0}/messages',
    query: '?offset=0',
    nonBinary: { headers: { accept: CT.V1J } },
    binary: { headers: { accept: CT.V1B } },
  },
  { method: 'GET', template: '/consumers/{g}/instances/{i}/topics/{t}', nonBinary: { headers: { accept: CT.V1A } } },
  { method: 'GET', template: '/consumers/{g}/instances/{i}/records', nonBinary: { headers: { accept: CT.V2J } } },
  {
    method: 'POST',
    template: '/consumers/{g}',
    nonBinary: { headers: { 'content-type': CT.V2 }, body: { name: 'c', format: 'json' } },
  },
  ...['/v3', '/kafka/v3'].flatMap((prefix): Case[] => [
    {
      method: 'POST',
      template: `${prefix}/clusters/{c}/topics/{t}/records`,
      nonBinary: { headers: { 'content-type': 'application/json' }, body: v3Json },
      binary: { headers: { 'content-type': 'application/json' }, body: v3Binary },
    },
    {
      method: 'POST',
      template: `${prefix}/clusters/{c}/topics/{t}/partitions/{0}/records`,
      nonBinary: { headers: { 'content-type': 'application/json' }, body: v3Json },
      binary: { headers: { 'content-type': 'application/json' }, body: v3Binary },
    },
    {
      method: 'POST',
      template: `${prefix}/clusters/{c}/topics/{t}/records:batch`,
      nonBinary: { headers: { 'content-type': 'application/json' }, body: { entries: [{ id: '1', ...v3Json }] } },
      binary: { headers: { 'content-type': 'application/json' }, body: { entries: [{ id: '1', ...v3Binary }] } },
    },
  ]),
]

/** Per character of a route word: flip its case, percent-encode it, and write the escape's hex digits in upper case. */
const spelling = fc.array(fc.tuple(fc.boolean(), fc.boolean(), fc.boolean()), { minLength: 40, maxLength: 40 })

function spell(template: string, choices: ReadonlyArray<readonly [boolean, boolean, boolean]>): string {
  let at = 0
  return template
    .split('/')
    .map((segment) => {
      if (segment.startsWith('{')) return segment.slice(1, -1)
      return [...segment]
        .map((char) => {
          const [flip, encode, upper] = choices[at++ % choices.length] ?? [false, false, false]
          const cased = flip ? swapCase(char) : char
          if (!encode) return cased
          const hex = cased.charCodeAt(0).toString(16).padStart(2, '0')
          return `%${upper ? hex.toUpperCase() : hex}`
        })
        .join('')
    })
    .join('/')
}

const swapCase = (char: string) => (char === char.toLowerCase() ? char.toUpperCase() : char.toLowerCase())

function send(method: string, path: string, variant: Variant) {
  return rawRequest(`${stack.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...variant.headers },
    body: variant.body === undefined ? undefined : JSON.stringify(variant.body),
  })
}

describe('route × case × percent-encoding', () => {
  it('never forwards a non-binary request, and forwards the binary one spelt the same way', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CASES), spelling, async (route, choices) => {
        const path = `${spell(route.template, choices)}${route.query ?? ''}`
        const before = upstream.seen.length
        const refused = await send(route.method, path, route.nonBinary)
        expect(refused.status, `${route.method} ${path}: ${refused.body}`).toBeGreaterThanOrEqual(400)
        expect(['FORMAT_NOT_ALLOWED', 'FORMAT_NOT_ACCEPTED']).toContain(refused.headers['x-gateway-error'])
        expect(upstream.seen.length, `${route.method} ${path} reached upstream`).toBe(before)
        if (!route.binary) return
        const passed = await send(route.method, path, route.binary)
        expect(passed.status, `${route.method} ${path}: ${passed.body}`).toBe(200)
        expect(upstream.seen.at(-1)?.url).toBe(path)
      }),
      { numRuns: 150 },
    )
  })
})
