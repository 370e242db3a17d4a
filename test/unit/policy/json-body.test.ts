// readJsonBody over real HTTP: Content-Length, chunked and empty bodies, the size cap, broken uploads, bad bytes.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GatewayError } from '../../../src/errors/gateway-error.js'
import { readJsonBody, readJsonSequence } from '../../../src/policy/json-body.js'
import { eventually } from '../../support/eventually.js'
import { rawRequest } from '../../support/http.js'

const LIMIT = 1024
type Outcome = { raw: string; value?: unknown; values?: unknown[] } | { status: number; code: string; message: string }
const outcomes: Outcome[] = []
let received = 0
let server: http.Server
let url: string

beforeAll(async () => {
  // Answers with what the helper returned, or the refusal it threw.
  server = http.createServer(async (req, res) => {
    received++
    let outcome: Outcome
    try {
      if (req.url === '/sequence') {
        const { raw, values } = await readJsonSequence(req, LIMIT)
        outcome = { raw: raw.toString('utf8'), values }
      } else {
        const { raw, value } = await readJsonBody(req, LIMIT)
        outcome = { raw: raw.toString('utf8'), value }
      }
    } catch (error) {
      const refusal = error as GatewayError
      outcome = { status: refusal.status, code: refusal.code, message: refusal.message }
      for (const [name, value] of Object.entries(refusal.headers)) res.setHeader(name, value)
    }
    outcomes.push(outcome)
    res.statusCode = 'status' in outcome ? outcome.status : 200
    res.end(JSON.stringify(outcome))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe('readJsonBody', () => {
  it.each([
    { case: 'a Content-Length body', body: '{"format":"binary"}', chunked: false, value: { format: 'binary' } },
    {
      case: 'a chunked body',
      body: '{"id":"c1","format":"BINARY"}',
      chunked: true,
      value: { id: 'c1', format: 'BINARY' },
    },
    { case: 'an empty body', body: undefined, chunked: false, value: undefined },
    { case: 'an empty chunked body', body: '', chunked: true, value: undefined },
    { case: 'JSON null', body: 'null', chunked: false, value: null },
    {
      case: 'a body of exactly the limit',
      body: `"${'x'.repeat(LIMIT - 2)}"`,
      chunked: true,
      value: 'x'.repeat(LIMIT - 2),
    },
  ])('reads $case and keeps its bytes', async ({ body, chunked, value }) => {
    const res = await rawRequest(`${url}/one`, { method: 'POST', body, chunked })
    expect(res.status).toBe(200)
    expect(res.json()).toEqual({ raw: body ?? '', ...(value === undefined ? {} : { value }) })
  })

  it.each([
    { case: 'a declared Content-Length over the limit', chunked: false, status: 413, code: 'PAYLOAD_TOO_LARGE' },
    { case: 'a chunked body growing over the limit', chunked: true, status: 413, code: 'PAYLOAD_TOO_LARGE' },
  ])('refuses $case with 413 and closes the connection', async ({ chunked, status, code }) => {
    const res = await rawRequest(`${url}/one`, { method: 'POST', body: `"${'x'.repeat(LIMIT * 4)}"`, chunked })
    expect(res.status).toBe(status)
    expect(res.json()).toMatchObject({ code, message: expect.stringContaining(`${LIMIT} bytes`) })
    expect(res.headers.connection).toBe('close')
  })

  it.each([
    { case: 'bytes that are not UTF-8', body: Buffer.from([0x7b, 0xff, 0x7d]), message: 'not UTF-8' },
    { case: 'invalid JSON', body: '{"format":', message: 'not valid JSON' },
    { case: 'two JSON values', body: '{"format":"binary"}{"format":"avro"}', message: 'several JSON values' },
    { case: 'a repeated key', body: '{"format":"binary","format":"avro"}', message: 'repeats the key' },
  ])('refuses $case with 400', async ({ body, message }) => {
    const res = await rawRequest(`${url}/one`, { method: 'POST', body })
    expect(res.status).toBe(400)
    expect(res.json()).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining(message) })
  })

  it('rejects when the client goes away mid-upload, without hanging', async () => {
    const before = outcomes.length
    const arrived = received
    const req = http.request(`${url}/one`, { method: 'POST', headers: { 'content-length': '100' } })
    req.on('error', () => {})
    req.write('{"format":')
    await eventually(() => received > arrived)
    req.destroy()
    const outcome = await eventually(() => outcomes[before])
    expect(outcome).toMatchObject({ status: 400, message: expect.stringContaining('ended early') })
  })
})

describe('readJsonSequence', () => {
  it('reads concatenated values', async () => {
    const res = await rawRequest(`${url}/sequence`, { method: 'POST', body: '{"a":1}\n{"a":2} [3]', chunked: true })
    expect(res.json()).toMatchObject({ values: [{ a: 1 }, { a: 2 }, [3]] })
  })
})
