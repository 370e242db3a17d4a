// v1 consumer instances: create (chunked, id over name, base_uri from Host), read, commit, delete, 406/409/422.
import { describe, expect, it } from 'vitest'
import { b64, CT, createConsumer, produceBinary, rawHttp, useEmulator } from './emulator-test-kit.js'

const FORMAT_MISMATCH = {
  error_code: 40601,
  message: 'The requested embedded data format does not match the deserializer for this consumer instance',
}

describe('v1 consumer instances', () => {
  const env = useEmulator({ topics: { test: 2, other: 1 }, maxWaitMs: 20 })
  const earliest = { format: 'binary', 'auto.offset.reset': 'smallest' }
  const createV1 = (group: string, body: Record<string, unknown> = earliest) => createConsumer(env, group, body, CT.V1)

  it('creates from a chunked body without Content-Length, using the deprecated id over name', async () => {
    const res = await rawHttp(env.emulator, {
      method: 'POST',
      path: '/consumers/mh',
      headers: { 'content-type': CT.V1B, host: 'gateway.example:8443' },
      chunks: ['{"id":"legacy",', '"name":"ignored",', '"format":"BINARY"}'],
    })
    expect(res.status).toBe(200)
    expect(res.contentType).toBe(CT.V1)
    expect(res.json).toEqual({
      instance_id: 'legacy',
      base_uri: 'http://gateway.example:8443/consumers/mh/instances/legacy',
    })
  })

  it('creates with an empty body and a generated name', async () => {
    const res = await env.api('/consumers/g', { method: 'POST', contentType: CT.V1 })
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({ instance_id: expect.stringMatching(/^rest-consumer-/) })
  })

  it('reads the subscribed topic across partitions, commits, and deletes', async () => {
    const instance = await createV1('g')
    await produceBinary(env, 'test', ['a', 'b', 'c'], CT.V1B)
    const read = await env.api(`${instance}/topics/test`, { accept: CT.V1B })
    expect(read.status).toBe(200)
    expect(read.contentType).toBe(CT.V1B)
    const values = (read.json as Array<{ value: string }>).map((record) => Buffer.from(record.value, 'base64'))
    expect(values.map(String).sort()).toEqual(['a', 'b', 'c'])

    const commit = await env.api(`${instance}/offsets`, { method: 'POST', contentType: CT.V1 })
    expect(commit.status).toBe(200)
    expect(commit.json).toEqual(
      expect.arrayContaining([expect.objectContaining({ topic: 'test', consumed: expect.any(Number) })]),
    )

    expect((await env.api(instance, { method: 'DELETE', accept: CT.V1B })).status).toBe(204)
    const gone = await env.api(`${instance}/topics/test`, { accept: CT.V1B })
    expect(gone.status).toBe(404)
    expect(gone.json).toMatchObject({ error_code: 40403 })
  })

  it('continues a group from its committed offsets in a new instance', async () => {
    const first = await createV1('shared', {
      name: 'one',
      'auto.offset.reset': 'smallest',
      'auto.commit.enable': 'false',
    })
    await produceBinary(env, 'other', ['1', '2'], CT.V1B)
    await env.api(`${first}/topics/other`)
    await env.api(`${first}/offsets`, { method: 'POST' })
    await produceBinary(env, 'other', ['3'], CT.V1B)
    const second = await createV1('shared', { name: 'two', 'auto.offset.reset': 'smallest' })
    const read = await env.api(`${second}/topics/other`)
    expect(read.json).toEqual([{ topic: 'other', key: null, value: b64('3'), partition: 0, offset: 2 }])
  })

  it('refuses to change topics after the first read: 409 40901', async () => {
    const instance = await createV1('g')
    await env.api(`${instance}/topics/test`)
    const res = await env.api(`${instance}/topics/other`)
    expect(res.status).toBe(409)
    expect(res.json).toMatchObject({ error_code: 40901 })
  })

  it.each([
    ['a binary instance read as json', 'binary', CT.V1J],
    ['a json instance read with the binary Accept', 'json', CT.V1B],
    ['a json instance read with V1', 'json', CT.V1],
    ['an avro instance read with */*', 'avro', '*/*'],
  ])('%s answers 406 40601', async (_case, format, accept) => {
    const instance = await createV1('g', { format })
    const res = await env.api(`${instance}/topics/test`, { accept })
    expect(res.status).toBe(406)
    expect(res.contentType).toBe('application/json')
    expect(res.json).toEqual(FORMAT_MISMATCH)
  })

  it('serves a json instance with the json Accept', async () => {
    const instance = await createV1('g', { format: 'json', 'auto.offset.reset': 'smallest' })
    await env.api('/topics/other', { method: 'POST', contentType: CT.V1J, body: { records: [{ value: [1, 2] }] } })
    const res = await env.api(`${instance}/topics/other`, { accept: CT.V1J })
    expect(res.contentType).toBe(CT.V1J)
    expect(res.json).toEqual([{ topic: 'other', key: null, value: [1, 2], partition: 0, offset: 0 }])
  })

  it('answers 409 40902 for a duplicate instance name', async () => {
    await createV1('g', { name: 'dup' })
    const res = await env.api('/consumers/g', { method: 'POST', contentType: CT.V1, body: { name: 'dup' } })
    expect(res.status).toBe(409)
    expect(res.json).toMatchObject({ error_code: 40902 })
  })

  it.each([{ format: 'xml' }, { format: 'jsonschema' }, { format: 7 }])('rejects %o with 422', async (body) => {
    const res = await env.api('/consumers/g', { method: 'POST', contentType: CT.V1, body })
    expect(res.status).toBe(422)
    expect(res.json).toEqual({ error_code: 422, message: 'Invalid format type.' })
  })

  it('keeps v1 instances out of the v2 routes', async () => {
    const instance = await createV1('g', { name: 'v1only' })
    const res = await env.api(`${instance}/records`, { accept: CT.V2B })
    expect(res.status).toBe(404)
    expect(res.json).toMatchObject({ error_code: 40403 })
  })

  it('answers 404 40401 when reading a topic that does not exist', async () => {
    const instance = await createV1('g')
    const res = await env.api(`${instance}/topics/missing`)
    expect(res.json).toMatchObject({ error_code: 40401 })
  })
})
