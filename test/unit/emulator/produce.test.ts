// v1/v2 produce: binary content types, json/avro/jsonschema/protobuf acceptance, 400/404/415/422 errors.
import { describe, expect, it } from 'vitest'
import { b64, CT, useEmulator } from './emulator-test-kit.js'

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, byte) => byte))
const okOffset = (partition: number, offset: number) => ({ partition, offset, error_code: null, error: null })

describe('binary produce', () => {
  const env = useEmulator({ topics: { test: 1, three: 3 } })

  it.each([
    ['V1B', CT.V1B, CT.V1],
    ['V1', CT.V1, CT.V1],
    ['KJ', CT.KJ, CT.V1],
    ['J', CT.J, CT.V1],
    ['OS', CT.OS, CT.V1],
    ['no Content-Type', undefined, CT.V1],
    ['V2B', CT.V2B, CT.V2],
    ['bare V2', CT.V2, CT.V2],
  ])('POST /topics/{t} with %s stores the exact bytes', async (_name, contentType, responseType) => {
    const body = { records: [{ key: b64('k'), value: b64(ALL_BYTES) }] }
    const res = await env.api('/topics/test', { method: 'POST', contentType, body })
    expect(res.status).toBe(200)
    expect(res.contentType).toBe(responseType)
    expect(res.json).toEqual({ key_schema_id: null, value_schema_id: null, offsets: [okOffset(0, 0)] })
    expect(env.emulator.topicRecords('test')).toEqual([{ key: Buffer.from('k'), value: ALL_BYTES, offset: 0 }])
  })

  it.each([CT.V1B, CT.V1, CT.KJ, CT.J, CT.OS, CT.V2B])('POST /topics/{t}/partitions/{p} accepts %s', async (type) => {
    const res = await env.api('/topics/three/partitions/2', {
      method: 'POST',
      contentType: type,
      body: { records: [{ value: b64('a') }, { value: null }] },
    })
    expect(res.status).toBe(200)
    expect((res.json as { offsets: unknown[] }).offsets).toEqual([okOffset(2, 0), okOffset(2, 1)])
    expect(env.emulator.topicRecords('three', 2).map((record) => record.value)).toEqual([Buffer.from('a'), null])
  })

  it('honours the partition field on the topic route', async () => {
    const body = { records: [{ value: b64('p1'), partition: 1, key: null }] }
    const res = await env.api('/topics/three', { method: 'POST', contentType: CT.V1, body })
    expect((res.json as { offsets: unknown[] }).offsets).toEqual([okOffset(1, 0)])
    expect(env.emulator.topicRecords('three', 1)).toHaveLength(1)
  })

  it('auto-creates unknown topics with one partition', async () => {
    await env.api('/topics/fresh', { method: 'POST', contentType: CT.V1B, body: { records: [{ value: b64('x') }] } })
    const topic = await env.api('/topics/fresh')
    expect(topic.status).toBe(200)
    expect((topic.json as { partitions: unknown[] }).partitions).toHaveLength(1)
  })
})

describe('non-binary produce is accepted like the real proxy', () => {
  const env = useEmulator()

  it.each([CT.V1J, CT.V2J])('%s stores each JSON value as its JSON text', async (contentType) => {
    const body = { records: [{ key: { id: 1 }, value: { hello: ['world', 2] } }] }
    const res = await env.api('/topics/test', { method: 'POST', contentType, body })
    expect(res.status).toBe(200)
    const [record] = env.emulator.topicRecords('test')
    expect(record?.key?.toString()).toBe('{"id":1}')
    expect(record?.value?.toString()).toBe('{"hello":["world",2]}')
  })

  it.each([CT.V1A, CT.V2A, CT.V2JS, CT.V2P])('%s with a value schema is accepted', async (contentType) => {
    const body = { value_schema: '{"type":"string"}', records: [{ value: 'text' }] }
    const res = await env.api('/topics/test', { method: 'POST', contentType, body })
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({ key_schema_id: null, value_schema_id: 1, offsets: [okOffset(0, 0)] })
  })

  it('echoes a given value_schema_id', async () => {
    const body = { value_schema_id: 42, records: [{ value: 'text' }] }
    const res = await env.api('/topics/test', { method: 'POST', contentType: CT.V2A, body })
    expect(res.json).toMatchObject({ value_schema_id: 42 })
  })

  it.each([
    ['value', { records: [{ value: 'v' }] }, 42202],
    ['key', { value_schema_id: 1, records: [{ key: 'k', value: 'v' }] }, 42201],
  ])('an avro produce without a %s schema is 422', async (_field, body, errorCode) => {
    const res = await env.api('/topics/test', { method: 'POST', contentType: CT.V1A, body })
    expect(res.status).toBe(422)
    expect(res.json).toMatchObject({ error_code: errorCode })
  })
})

describe('produce errors', () => {
  const env = useEmulator({ topics: { test: 1 } })
  const records = [{ value: b64('x') }]

  it.each([
    ['text/plain on the topic route', '/topics/test', 'text/plain'],
    ['bare V2 on the partition route', '/topics/test/partitions/0', CT.V2],
    ['an unknown vendor type', '/topics/test', 'application/vnd.kafka.xml.v1+json'],
  ])('415 for %s', async (_case, path, contentType) => {
    const res = await env.api(path, { method: 'POST', contentType, body: { records } })
    expect(res.status).toBe(415)
    expect(res.contentType).toBe('application/json')
    expect(res.json).toEqual({ error_code: 415, message: 'HTTP 415 Unsupported Media Type' })
  })

  it.each([
    ['invalid base64 value', '/topics/test', { records: [{ value: 'not base64!' }] }, 'invalid base64'],
    ['unpadded base64 key', '/topics/test', { records: [{ key: 'YQ', value: null }] }, 'invalid base64'],
    ['empty records', '/topics/test', { records: [] }, 'records may not be empty'],
    ['missing records', '/topics/test', {}, 'records may not be empty'],
    [
      'partition field on the partition route',
      '/topics/test/partitions/0',
      { records: [{ value: null, partition: 0 }] },
      'partition',
    ],
  ])('422 for %s', async (_case, path, body, message) => {
    const res = await env.api(path, { method: 'POST', contentType: CT.V1B, body })
    expect(res.status).toBe(422)
    expect(res.json).toEqual({ error_code: 422, message: expect.stringContaining(message) })
  })

  it('names the exact messages of the spec', async () => {
    const base64 = await env.api('/topics/test', {
      method: 'POST',
      contentType: CT.V2B,
      body: { records: [{ value: '%%%' }] },
    })
    const field = await env.api('/topics/test/partitions/0', {
      method: 'POST',
      contentType: CT.V1B,
      body: { records: [{ value: null, partition: 0 }] },
    })
    expect(base64.json).toEqual({ error_code: 422, message: 'Record key/value contains invalid base64 encoding' })
    expect(field.json).toEqual({ error_code: 422, message: 'Unrecognized field: partition' })
  })

  it('400 for malformed JSON', async () => {
    const res = await env.api('/topics/test', { method: 'POST', contentType: CT.V1B, body: '{"records": [' })
    expect(res.status).toBe(400)
    expect(res.json).toMatchObject({ error_code: 400, message: expect.any(String) })
  })

  it('404 40402 for a partition the topic does not have', async () => {
    const res = await env.api('/topics/test/partitions/5', { method: 'POST', contentType: CT.V1B, body: { records } })
    expect(res.status).toBe(404)
    expect(res.json).toMatchObject({ error_code: 40402 })
  })

  it('a record partition outside the topic is a per-record error with HTTP 200', async () => {
    const body = { records: [{ value: b64('x'), partition: 7 }] }
    const res = await env.api('/topics/test', { method: 'POST', contentType: CT.V1B, body })
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({ offsets: [{ partition: 7, offset: null, error_code: 50002 }] })
  })
})
