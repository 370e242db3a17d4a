// v2 consumer instances: subscribe/assign/seek, records, commit offset+1, committed offsets, formats and errors.
import { describe, expect, it } from 'vitest'
import { b64, CT, createConsumer, produceBinary, rawHttp, useEmulator } from './emulator-test-kit.js'

const EARLIEST = { format: 'binary', 'auto.offset.reset': 'earliest', 'auto.commit.enable': 'false' }

describe('v2 consumer lifecycle', () => {
  const env = useEmulator({ topics: { test: 1, 'logs-a': 1, 'logs-b': 1 }, maxWaitMs: 20 })

  const post = (path: string, body?: unknown) => env.api(path, { method: 'POST', contentType: CT.V2, body })
  const records = async (instance: string, accept: string = CT.V2B) => {
    const res = await env.api(`${instance}/records?timeout=0`, { accept })
    expect(res.status).toBe(200)
    return res.json as Array<{ topic: string; key: unknown; value: unknown; partition: number; offset: number }>
  }
  const committed = (instance: string, partitions: unknown) =>
    rawHttp(env.emulator, {
      method: 'GET',
      path: `${instance}/offsets`,
      headers: { 'content-type': CT.V2 },
      body: partitions === undefined ? undefined : JSON.stringify({ partitions }),
    })

  it('creates, subscribes, reads, commits offset+1, reads committed offsets and deletes', async () => {
    const created = await env.api('/consumers/group', {
      method: 'POST',
      contentType: CT.V2,
      body: { name: 'c1', ...EARLIEST },
    })
    expect(created.json).toEqual({
      instance_id: 'c1',
      base_uri: `${env.emulator.url}/consumers/group/instances/c1`,
    })
    const instance = '/consumers/group/instances/c1'
    expect((await post(`${instance}/subscription`, { topics: ['test'] })).status).toBe(204)
    expect((await env.api(`${instance}/subscription`)).json).toEqual({ topics: ['test'] })

    await produceBinary(env, 'test', ['first', 'second'])
    const read = await env.api(`${instance}/records`, { accept: CT.V2B })
    expect(read.contentType).toBe(CT.V2B)
    expect(read.json).toEqual([
      { topic: 'test', key: null, value: b64('first'), partition: 0, offset: 0 },
      { topic: 'test', key: null, value: b64('second'), partition: 0, offset: 1 },
    ])

    const commit = await post(`${instance}/offsets`, { offsets: [{ topic: 'test', partition: 0, offset: 1 }] })
    expect([commit.status, commit.json]).toEqual([200, []])
    const offsets = await committed(instance, [{ topic: 'test', partition: 0 }])
    expect(offsets.json).toEqual({ offsets: [{ topic: 'test', partition: 0, offset: 2, metadata: '' }] })

    expect((await env.api(instance, { method: 'DELETE', contentType: CT.V2 })).status).toBe(204)
    expect((await env.api(`${instance}/records`, { accept: CT.V2B })).json).toMatchObject({ error_code: 40403 })
  })

  it('commits every position with a body-less commit', async () => {
    const instance = await createConsumer(env, 'g', EARLIEST)
    await post(`${instance}/subscription`, { topics: ['test'] })
    await produceBinary(env, 'test', ['a', 'b', 'c'])
    await records(instance)
    expect((await env.api(`${instance}/offsets`, { method: 'POST', contentType: CT.V2 })).json).toEqual([])
    const offsets = await committed(instance, [{ topic: 'test', partition: 0 }])
    expect(offsets.json).toEqual({ offsets: [{ topic: 'test', partition: 0, offset: 3, metadata: '' }] })
  })

  it('answers 404 40402 for GET offsets without a body', async () => {
    const instance = await createConsumer(env, 'g', EARLIEST)
    const res = await committed(instance, undefined)
    expect(res.status).toBe(404)
    expect(res.json).toMatchObject({ error_code: 40402 })
  })

  it('answers 500 50002 when polling before subscribing', async () => {
    const instance = await createConsumer(env, 'g', EARLIEST)
    const res = await env.api(`${instance}/records`, { accept: CT.V2B })
    expect(res.status).toBe(500)
    expect(res.json).toMatchObject({ error_code: 50002 })
  })

  it('starts at the end by default (auto.offset.reset latest)', async () => {
    await produceBinary(env, 'test', ['old'])
    const instance = await createConsumer(env, 'g', {})
    await post(`${instance}/subscription`, { topics: ['test'] })
    await produceBinary(env, 'test', ['new'])
    expect((await records(instance)).map((record) => record.value)).toEqual([b64('new')])
  })

  it('subscribes by topic_pattern', async () => {
    const instance = await createConsumer(env, 'g', EARLIEST)
    await post(`${instance}/subscription`, { topic_pattern: 'logs-.*' })
    await produceBinary(env, 'logs-a', ['a'])
    await produceBinary(env, 'test', ['not me'])
    await produceBinary(env, 'logs-b', ['b'])
    expect((await env.api(`${instance}/subscription`)).json).toEqual({ topics: ['logs-a', 'logs-b'] })
    expect((await records(instance)).map((record) => record.topic)).toEqual(['logs-a', 'logs-b'])
  })

  it('assigns partitions and seeks to beginning, end and an offset', async () => {
    const instance = await createConsumer(env, 'g', {})
    const partitions = [{ topic: 'test', partition: 0 }]
    await produceBinary(env, 'test', ['0', '1', '2'])
    expect((await post(`${instance}/assignments`, { partitions })).status).toBe(204)
    expect((await env.api(`${instance}/assignments`)).json).toEqual({ partitions })
    expect(await records(instance)).toEqual([])

    expect((await post(`${instance}/positions/beginning`, { partitions })).status).toBe(204)
    expect((await records(instance)).map((record) => record.offset)).toEqual([0, 1, 2])
    await post(`${instance}/positions`, { offsets: [{ topic: 'test', partition: 0, offset: 1 }] })
    expect((await records(instance)).map((record) => record.offset)).toEqual([1, 2])
    await post(`${instance}/positions/end`, { partitions })
    expect(await records(instance)).toEqual([])
  })

  const ASSIGN = { partitions: [{ topic: 'test', partition: 0 }] }
  const SUBSCRIBE = { topics: ['test'] }
  it.each([
    ['subscribing after assigning', ['assignments', ASSIGN], ['subscription', SUBSCRIBE]],
    ['assigning after subscribing', ['subscription', SUBSCRIBE], ['assignments', ASSIGN]],
    ['a pattern after a topic list', ['subscription', SUBSCRIBE], ['subscription', { topic_pattern: 't.*' }]],
  ] as const)('answers 409 40903 for %s', async (_case, [firstRoute, firstBody], [secondRoute, secondBody]) => {
    const instance = await createConsumer(env, 'g', {})
    expect((await post(`${instance}/${firstRoute}`, firstBody)).status).toBe(204)
    const res = await post(`${instance}/${secondRoute}`, secondBody)
    expect(res.status).toBe(409)
    expect(res.json).toMatchObject({ error_code: 40903 })
  })

  it('unsubscribes with DELETE subscription', async () => {
    const instance = await createConsumer(env, 'g', EARLIEST)
    await post(`${instance}/subscription`, { topics: ['test'] })
    expect((await env.api(`${instance}/subscription`, { method: 'DELETE', contentType: CT.V2 })).status).toBe(204)
    expect((await env.api(`${instance}/subscription`)).json).toEqual({ topics: [] })
  })

  it('finds a v2 instance on DELETE without version headers, but not with a v1 Content-Type', async () => {
    const instance = await createConsumer(env, 'g', {})
    const asV1 = await env.api(instance, { method: 'DELETE', contentType: CT.V1 })
    expect([asV1.status, asV1.json]).toEqual([404, expect.objectContaining({ error_code: 40403 })])
    expect((await env.api(instance, { method: 'DELETE' })).status).toBe(204)
  })

  it('holds v1 and v2 instances in separate namespaces: one name in both is two instances', async () => {
    const create = (contentType: string) =>
      env.api('/consumers/twins', { method: 'POST', contentType, body: { name: 'twin' } })
    expect((await create(CT.V2)).status).toBe(200)
    expect((await create(CT.V1)).status).toBe(200)
    expect((await create(CT.V1)).json).toMatchObject({ error_code: 40902 })
    const instance = '/consumers/twins/instances/twin'
    expect((await env.api(instance, { method: 'DELETE', contentType: CT.V1 })).status).toBe(204)
    expect((await env.api(`${instance}/subscription`, { contentType: CT.V2 })).status).toBe(200)
    expect((await env.api(instance, { method: 'DELETE', contentType: CT.V1 })).status).toBe(404)
  })

  it('answers 409 40902 for a duplicate name', async () => {
    await createConsumer(env, 'g', { name: 'same' })
    const res = await env.api('/consumers/g', { method: 'POST', contentType: CT.V2, body: { name: 'same' } })
    expect(res.status).toBe(409)
    expect(res.json).toMatchObject({ error_code: 40902 })
  })

  it.each(['jsonschema', 'PROTOBUF', 'Avro', 'JSON'])('accepts format %s case-insensitively', async (format) => {
    const res = await env.api('/consumers/g', { method: 'POST', contentType: CT.V2, body: { format } })
    expect(res.status).toBe(200)
  })
})

describe('v2 records format negotiation', () => {
  const env = useEmulator({ maxWaitMs: 0 })
  const mismatch = { error_code: 40601, message: expect.stringContaining('does not match the deserializer') }

  async function subscribed(format: string) {
    const instance = await createConsumer(env, 'g', { format, 'auto.offset.reset': 'earliest' })
    await env.api(`${instance}/subscription`, { method: 'POST', contentType: CT.V2, body: { topics: ['test'] } })
    return instance
  }

  it.each([
    ['json', CT.V2B],
    ['json', CT.V2],
    ['json', '*/*'],
    ['binary', CT.V2J],
    ['binary', CT.V2A],
    ['avro', CT.V2JS],
    ['protobuf', CT.V2B],
  ])('a %s instance read with Accept %s answers 406 40601', async (format, accept) => {
    const res = await env.api(`${await subscribed(format)}/records`, { accept })
    expect(res.status).toBe(406)
    expect(res.json).toEqual(mismatch)
  })

  it('a json instance without any Accept header gets 406 40601 (binary is the default)', async () => {
    const res = await rawHttp(env.emulator, { method: 'GET', path: `${await subscribed('json')}/records` })
    expect([res.status, res.json]).toEqual([406, mismatch])
  })

  it.each([
    ['binary', CT.V2B, CT.V2B],
    ['binary', CT.V2, CT.V2],
    ['binary', '*/*', CT.V2B],
  ])('a %s instance read with Accept %s answers %s', async (format, accept, responseType) => {
    await produceBinary(env, 'test', ['x'])
    const res = await env.api(`${await subscribed(format)}/records`, { accept })
    expect(res.contentType).toBe(responseType)
    expect(res.json).toEqual([{ topic: 'test', key: null, value: b64('x'), partition: 0, offset: 0 }])
  })

  it('a json instance reads JSON values with the json Accept', async () => {
    await env.api('/topics/test', { method: 'POST', contentType: CT.V2J, body: { records: [{ value: { a: 1 } }] } })
    const res = await env.api(`${await subscribed('json')}/records`, { accept: CT.V2J })
    expect(res.contentType).toBe(CT.V2J)
    expect(res.json).toEqual([{ topic: 'test', key: null, value: { a: 1 }, partition: 0, offset: 0 }])
  })

  it('an Accept that matches no read method is a body-less 406', async () => {
    const res = await env.api(`${await subscribed('binary')}/records`, { accept: 'text/plain' })
    expect([res.status, res.text]).toEqual([406, ''])
  })
})
