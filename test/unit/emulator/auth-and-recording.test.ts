// Emulator auth (X-Auth-Token, 401 40101, key rotation), request recording, chunked bodies, 404/405 routing.
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { b64, CT, rawHttp, useEmulator } from './emulator-test-kit.js'

const UNAUTHORIZED = { error_code: 40101, message: 'Unauthorized' }

describe('emulator auth', () => {
  const env = useEmulator()

  it.each([
    ['no X-Auth-Token', {}],
    ['a wrong X-Auth-Token', { 'x-auth-token': 'wrong-key' }],
    ['an empty X-Auth-Token', { 'x-auth-token': '' }],
  ])('answers 401 40101 for %s', async (_case, headers) => {
    const res = await env.api('/topics', { auth: false, headers })
    expect(res.status).toBe(401)
    expect(res.contentType).toBe('application/json')
    expect(res.json).toEqual(UNAUTHORIZED)
  })

  it('records rejected requests with their headers and body', async () => {
    const body = JSON.stringify({ records: [{ value: b64('secret') }] })
    await env.api('/topics/test', { method: 'POST', auth: false, contentType: CT.V1B, body })
    const [recorded] = env.emulator.requests
    expect(recorded).toMatchObject({ method: 'POST', url: '/topics/test', bodyLength: Buffer.byteLength(body) })
    expect(recorded?.headers['content-type']).toBe(CT.V1B)
    expect(recorded?.body?.toString()).toBe(body)
    expect(env.emulator.topicRecords('test')).toEqual([])
  })

  it('accepts rotated keys after setApiKeys and rejects the old one', async () => {
    env.emulator.setApiKeys(['new-key'])
    const withOld = await env.api('/topics')
    const withNew = await env.api('/topics', { auth: false, headers: { 'x-auth-token': 'new-key' } })
    expect([withOld.status, withNew.status]).toEqual([401, 200])
  })
})

describe('emulator request recording', () => {
  const env = useEmulator({ recordBodyLimit: 16 })

  it('keeps every request in order and can clear them', async () => {
    await env.api('/')
    await env.api('/brokers')
    expect(env.emulator.requests.map((request) => request.url)).toEqual(['/', '/brokers'])
    env.emulator.clearRequests()
    expect(env.emulator.requests).toEqual([])
  })

  it('always records length and sha256 but drops bodies over recordBodyLimit', async () => {
    const small = '{"a":1}'
    const large = JSON.stringify({ records: [{ value: b64('x'.repeat(100)) }] })
    await env.api('/', { method: 'POST', contentType: CT.V1, body: small })
    await env.api('/topics/test', { method: 'POST', contentType: CT.V1B, body: large })
    const [first, second] = env.emulator.requests
    expect(first?.body?.toString()).toBe(small)
    expect(second?.body).toBeUndefined()
    expect(second?.bodyLength).toBe(large.length)
    expect(second?.bodySha256).toBe(createHash('sha256').update(large).digest('hex'))
    expect(env.emulator.topicRecords('test')).toHaveLength(1)
  })

  it('reads chunked bodies without Content-Length', async () => {
    const chunks = ['{"records":[', `{"value":"${b64('chunked')}"}`, ']}']
    const res = await rawHttp(env.emulator, {
      method: 'POST',
      path: '/topics/test',
      headers: { 'content-type': CT.V1B },
      chunks,
    })
    expect(res.status).toBe(200)
    expect(env.emulator.requests[0]?.headers['transfer-encoding']).toBe('chunked')
    expect(env.emulator.topicRecords('test')[0]?.value?.toString()).toBe('chunked')
  })
})

describe('emulator routing errors', () => {
  const env = useEmulator()

  it.each([
    ['GET', '/nope', 404, { error_code: 404, message: 'HTTP 404 Not Found' }],
    ['GET', '/topics/test/partitions/zero', 404, { error_code: 404, message: 'HTTP 404 Not Found' }],
    ['DELETE', '/topics', 405, { error_code: 405, message: 'HTTP 405 Method Not Allowed' }],
    ['PUT', '/topics/test', 405, { error_code: 405, message: 'HTTP 405 Method Not Allowed' }],
  ])('%s %s answers %i', async (method, path, status, body) => {
    const res = await env.api(path, { method })
    expect(res.status).toBe(status)
    expect(res.json).toEqual(body)
  })

  it('checks the key before routing', async () => {
    const res = await env.api('/nope', { auth: false })
    expect(res.status).toBe(401)
  })
})
