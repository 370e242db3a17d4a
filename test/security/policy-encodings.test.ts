// Property: however a non-binary request's path, headers and body are spelled, the gateway refuses it itself.
import http from 'node:http'
import fc from 'fast-check'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { catalogue, type ErrorCode } from '../../src/errors/catalogue.js'
import { type Stack, startStack } from '../support/stack.js'

const NON_BINARY_V1 = ['application/vnd.kafka.json.v1+json', 'application/vnd.kafka.avro.v1+json']
const NON_BINARY_V2 = [
  'application/vnd.kafka.json.v2+json',
  'application/vnd.kafka.avro.v2+json',
  'application/vnd.kafka.jsonschema.v2+json',
  'application/vnd.kafka.protobuf.v2+json',
]
const NON_BINARY = [...NON_BINARY_V1, ...NON_BINARY_V2]
const RUNS = { numRuns: 150 }
/** BAD_REQUEST: a path or body spelling the gateway will not judge (dot segments, encoded slashes, duplicate keys…). */
const PRODUCE_REFUSALS: readonly ErrorCode[] = ['BAD_REQUEST', 'FORMAT_NOT_ALLOWED']
const READ_REFUSALS: readonly ErrorCode[] = ['BAD_REQUEST', 'FORMAT_NOT_ACCEPTED']
const BODY_REFUSALS: readonly ErrorCode[] = ['BAD_REQUEST', 'FORMAT_NOT_ALLOWED']

let stack: Stack
let auth: string

beforeAll(async () => {
  stack = await startStack()
  auth = `Bearer ${await stack.token('prop')}`
  // A binary v2 consumer, so a read that got through would be answered 200.
  const headers = { authorization: auth, 'content-type': 'application/vnd.kafka.v2+json' }
  await send('POST', '/consumers/prop', headers, '{"name":"c1","format":"binary"}')
  await send('POST', '/consumers/prop/instances/c1/subscription', headers, '{"topics":["test"]}')
})
afterAll(() => stack.close())

interface Answer {
  status: number
  /** The gateway's own refusal code (X-Gateway-Error), when it refused. */
  refusal: string | undefined
  body: unknown
}

function send(method: string, path: string, headers: http.OutgoingHttpHeaders, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${stack.url}${path}`, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString()
        resolve({
          status: res.statusCode ?? 0,
          refusal: res.headers['x-gateway-error'] as string | undefined,
          body: text === '' ? undefined : JSON.parse(text),
        })
      })
    })
    req.on('error', reject)
    req.end(body)
  })
}

/**
 * The invariant, with no third way: the gateway refused the request itself (one of `codes`, with its own status and
 * Kafka-style body) and the upstream saw nothing; or the spelling names no route at all (say `/Topics/…`: paths are
 * case-sensitive upstream too), so the gateway forwarded it and the upstream answered its own bare 404 for an unknown
 * path. An upstream refusal of a route it does serve (a 415, or a 422 for a missing schema) fails: the gateway let
 * through a request it should have stopped, and only the emulator's strictness hid it.
 */
async function expectRefused(
  codes: readonly ErrorCode[],
  method: string,
  path: string,
  headers: http.OutgoingHttpHeaders,
  body?: string,
) {
  stack.emulator.clearRequests()
  const answer = await send(method, path, { authorization: auth, ...headers }, body)
  const request = `${method} ${path} ${JSON.stringify(headers)} ${body ?? ''}`
  if (answer.refusal === undefined) {
    expect({ status: answer.status, body: answer.body }, request).toEqual(UPSTREAM_UNKNOWN_PATH)
    expect(stack.emulator.requests, request).toHaveLength(1)
    return
  }
  expect(codes, request).toContain(answer.refusal)
  const { status, errorCode } = catalogue[answer.refusal as ErrorCode]
  expect(answer.status, request).toBe(status)
  expect(answer.body, request).toMatchObject({
    error_code: errorCode,
    message: expect.any(String),
    error: answer.refusal,
  })
  expect(stack.emulator.requests, request).toEqual([])
}

/** What the REST proxy answers for a path none of its routes serves. */
const UPSTREAM_UNKNOWN_PATH = { status: 404, body: { error_code: 404, message: 'HTTP 404 Not Found' } }

// ---- spellings of a path -------------------------------------------------------------------------------------------
const TRICKS = ['none', 'none', 'none', 'case', 'dot', 'dotdot', 'slash', 'matrix', '%2F', '%5C', '%25', '\\', 'tail']
interface SegmentSpelling {
  encode: boolean[]
  upper: boolean
  trick: string
}
const segmentSpelling: fc.Arbitrary<SegmentSpelling> = fc.record({
  encode: fc.array(fc.boolean(), { maxLength: 12 }),
  upper: fc.boolean(),
  trick: fc.constantFrom(...TRICKS),
})

function percent(char: string, upper: boolean): string {
  const hex = [...Buffer.from(char)].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('')
  return upper ? hex.toUpperCase() : hex
}

function spellSegment(segment: string, { encode, upper, trick }: SegmentSpelling): string {
  let text = [...segment].map((char, i) => (encode[i] ? percent(char, upper) : char)).join('')
  if (trick === 'case') text = text.charAt(0).toUpperCase() + text.slice(1)
  if (trick === 'dot') text = `./${text}`
  if (trick === 'dotdot') text = `x/../${text}`
  if (trick === 'slash') text = `/${text}`
  if (trick === 'matrix') text = `${text};v=1`
  if (trick === '%2F' || trick === '%5C' || trick === '\\') text = `${text}${trick}x`
  if (trick === '%25') text = `%25${percent(segment.charAt(0), upper).slice(1)}${text.slice(1)}`
  if (trick === 'tail') text = `${text}/`
  return text
}

const pathSpelling = (segments: readonly string[]) =>
  fc.array(segmentSpelling, { minLength: segments.length, maxLength: segments.length }).map((spellings) => {
    return `/${segments.map((segment, i) => spellSegment(segment, spellings[i] as SegmentSpelling)).join('/')}`
  })

// ---- spellings of a media type -------------------------------------------------------------------------------------
const mediaSpelling = (types: readonly string[]) =>
  fc
    .record({
      type: fc.constantFrom(...types),
      caseMask: fc.array(fc.boolean(), { maxLength: 40 }),
      before: fc.constantFrom('', ' ', '\t '),
      params: fc.constantFrom('', '; charset=utf-8', ' ;charset="UTF-8"', ';x=1;y="a,b"', ';'),
    })
    .map(({ type, caseMask, before, params }) => {
      const cased = [...type].map((char, i) => (caseMask[i] ? char.toUpperCase() : char)).join('')
      return `${before}${cased}${params}`
    })

/** An Accept list whose best match is a non-binary type the read offers: binary and wildcards come with lower q. */
const acceptList = (preferredTypes: readonly string[]) =>
  fc
    .record({
      preferred: mediaSpelling(preferredTypes),
      others: fc.array(fc.constantFrom('*/*', 'application/*', 'application/vnd.kafka.binary.v2+json'), {
        maxLength: 3,
      }),
      split: fc.boolean(),
    })
    .map(({ preferred, others, split }) => {
      const entries = [`${preferred};q=0.9`, ...others.map((other, i) => `${other};q=0.${5 - i}`)]
      return split ? entries : entries.join(', ')
    })

it('refuses non-binary produce to a topic or partition, however path and Content-Type are spelled', async () => {
  const route = fc.constantFrom(['topics', 'prop'], ['topics', 'test', 'partitions', '0'])
  const request = route.chain((segments) => fc.tuple(pathSpelling(segments), mediaSpelling(NON_BINARY)))
  await fc.assert(
    fc.asyncProperty(request, ([path, contentType]) =>
      expectRefused(PRODUCE_REFUSALS, 'POST', path, { 'content-type': contentType }, '{"records":[{"value":"eA=="}]}'),
    ),
    RUNS,
  )
})

it('refuses non-binary reads, however path and Accept are spelled', async () => {
  const route = fc.constantFrom(
    { segments: ['topics', 'test', 'partitions', '0', 'messages'], offered: NON_BINARY_V1 },
    { segments: ['consumers', 'prop', 'instances', 'c1', 'records'], offered: NON_BINARY_V2 },
  )
  const request = route.chain(({ segments, offered }) => fc.tuple(pathSpelling(segments), acceptList(offered)))
  await fc.assert(
    fc.asyncProperty(request, ([path, accept]) =>
      expectRefused(READ_REFUSALS, 'GET', `${path}?offset=0&timeout=0`, { accept }),
    ),
    RUNS,
  )
})

/** A JSON key or string with some characters written as \u escapes. */
const jsonSpelling = (text: string) =>
  fc.array(fc.boolean(), { maxLength: text.length }).map((mask) => {
    const escaped = [...text].map((char, i) =>
      mask[i] ? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}` : char,
    )
    return `"${escaped.join('')}"`
  })

it('refuses non-binary consumers, however the body spells the format', async () => {
  const format = fc.constantFrom('json', 'avro', 'jsonschema', 'protobuf', 'Avro', 'JSON', 'ProtoBuf')
  const body = fc
    .record({
      key: fc.constantFrom('format', 'Format', 'FORMAT').chain(jsonSpelling),
      value: format.chain(jsonSpelling),
      space: fc.constantFrom('', ' ', '\n\t'),
      binaryToo: fc.constantFrom('none', 'before', 'after'),
    })
    .map(({ key, value, space, binaryToo }) => {
      const member = `${key}${space}:${space}${value}`
      const binary = '"format":"binary"'
      const members = binaryToo === 'before' ? [binary, member] : binaryToo === 'after' ? [member, binary] : [member]
      return `{${space}${members.join(`,${space}`)}${space}}`
    })
  const request = fc.tuple(pathSpelling(['consumers', 'prop-create']), body, fc.boolean())
  await fc.assert(
    fc.asyncProperty(request, ([path, json, chunked]) =>
      expectRefused(
        BODY_REFUSALS,
        'POST',
        path,
        chunked
          ? { 'content-type': 'application/vnd.kafka.v2+json', 'transfer-encoding': 'chunked' }
          : { 'content-type': 'application/vnd.kafka.v2+json', 'content-length': Buffer.byteLength(json) },
        json,
      ),
    ),
    RUNS,
  )
})

it('refuses v3 records that are not all BINARY, however they are spelled and wrapped', async () => {
  const record = fc
    .record({
      part: fc.constantFrom('key', 'value', 'Value').chain(jsonSpelling),
      type: fc.constantFrom('AVRO', 'JSON', 'STRING', 'jsonschema', 'Protobuf').chain(jsonSpelling),
      wrap: fc.constantFrom('one', 'array', 'stream'),
    })
    .map(({ part, type, wrap }) => {
      const bad = `{${part}:{"type":${type},"data":"eA=="}}`
      const good = '{"value":{"type":"BINARY","data":"eA=="}}'
      return wrap === 'one' ? bad : wrap === 'array' ? `[${good},${bad}]` : `${good}\n${bad}`
    })
  const path = pathSpelling(['v3', 'clusters', 'emulator', 'topics', 'test', 'records'])
  await fc.assert(
    fc.asyncProperty(fc.tuple(path, record), ([target, body]) =>
      expectRefused(BODY_REFUSALS, 'POST', target, { 'content-type': 'application/json' }, body),
    ),
    RUNS,
  )
})
