// Metadata routes (/, /brokers, /topics…) and the v3 routes (/v3/clusters, v3 produce).
import { describe, expect, it } from 'vitest'
import { b64, CT, useEmulator } from './emulator-test-kit.js'

const PARTITION_0 = { partition: 0, leader: 0, replicas: [{ broker: 0, leader: true, in_sync: true }] }

describe('metadata routes', () => {
  const env = useEmulator({ topics: { alpha: 2, beta: 1 } })

  it.each([
    ['/', {}],
    ['/brokers', { brokers: [0] }],
    ['/topics', ['alpha', 'beta']],
    ['/topics/beta', { name: 'beta', configs: {}, partitions: [PARTITION_0] }],
    ['/topics/alpha/partitions', [PARTITION_0, { ...PARTITION_0, partition: 1 }]],
    ['/topics/alpha/partitions/0', PARTITION_0],
    ['/topics/beta/partitions/0/offsets', { beginning_offset: 0, end_offset: 0 }],
  ])('GET %s', async (path, body) => {
    const res = await env.api(path, { accept: CT.V1 })
    expect(res.status).toBe(200)
    expect(res.contentType).toBe(CT.V1)
    expect(res.json).toEqual(body)
  })

  it('answers with the v2 type when asked for it', async () => {
    expect((await env.api('/topics', { accept: CT.V2 })).contentType).toBe(CT.V2)
  })

  it.each([
    ['/topics/nope', 40401],
    ['/topics/nope/partitions', 40401],
    ['/topics/alpha/partitions/2', 40402],
  ])('GET %s answers 404 %i', async (path, errorCode) => {
    const res = await env.api(path)
    expect(res.status).toBe(404)
    expect(res.json).toMatchObject({ error_code: errorCode, message: expect.any(String) })
  })
})

describe('v3 routes', () => {
  const env = useEmulator({ topics: { test: 1 } })
  const produceV3 = (body: unknown, contentType: string = CT.J) =>
    env.api('/v3/clusters/lkc-1/topics/test/records', { method: 'POST', contentType, body })

  it('GET /v3/clusters lists the emulator cluster', async () => {
    const res = await env.api('/v3/clusters', { accept: CT.J })
    expect(res.contentType).toBe(CT.J)
    expect(res.json).toEqual({ data: [{ cluster_id: 'emulator' }] })
  })

  it('produces a BINARY key and value', async () => {
    const res = await produceV3({ key: { type: 'BINARY', data: b64('k') }, value: { type: 'BINARY', data: b64('vv') } })
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({
      error_code: 200,
      cluster_id: 'lkc-1',
      topic_name: 'test',
      partition_id: 0,
      offset: 0,
      key: { type: 'BINARY', size: 1 },
      value: { type: 'BINARY', size: 2 },
    })
    expect(env.emulator.topicRecords('test')).toEqual([{ key: Buffer.from('k'), value: Buffer.from('vv'), offset: 0 }])
  })

  it.each([
    ['JSON', { a: [1] }, '{"a":[1]}'],
    ['STRING', 'plain text', 'plain text'],
    ['AVRO', 'avro string', '"avro string"'],
  ])('accepts %s values', async (type, data, stored) => {
    const res = await produceV3({ value: { type, data } })
    expect(res.json).toMatchObject({ key: null, value: { type } })
    expect(env.emulator.topicRecords('test')[0]?.value?.toString()).toBe(stored)
  })

  it.each([
    ['invalid BINARY data', { value: { type: 'BINARY', data: '***' } }, CT.J, 400],
    ['a non-JSON Content-Type', { value: { type: 'JSON', data: 1 } }, 'text/plain', 415],
    ['an unknown partition_id', { partition_id: 3, value: { type: 'JSON', data: 1 } }, CT.J, 404],
  ])('rejects %s', async (_case, body, contentType, status) => {
    const res = await produceV3(body, contentType)
    expect(res.status).toBe(status)
    expect(res.json).toMatchObject({ error_code: expect.any(Number), message: expect.any(String) })
  })
})
