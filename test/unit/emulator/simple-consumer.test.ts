// v1 simple consumer GET /topics/{t}/partitions/{p}/messages: byte-exact round trip and Accept negotiation.
import { describe, expect, it } from 'vitest'
import { b64, CT, rawHttp, useEmulator } from './emulator-test-kit.js'

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, byte) => 255 - byte))
const MESSAGES = '/topics/test/partitions/0/messages'

describe('v1 simple consumer GET /topics/{t}/partitions/{p}/messages', () => {
  const env = useEmulator()

  async function produceV1(records: Array<{ key?: string; value: string | null }>) {
    const res = await env.api('/topics/test', { method: 'POST', contentType: CT.V1B, body: { records } })
    expect(res.status).toBe(200)
  }

  it('round-trips binary keys and values byte for byte', async () => {
    await produceV1([{ key: b64('key-0'), value: b64(ALL_BYTES) }])
    const res = await env.api(`${MESSAGES}?offset=0`, { accept: CT.V1B })
    expect(res.status).toBe(200)
    expect(res.contentType).toBe(CT.V1B)
    const [message] = res.json as Array<{ key: string; value: string }>
    expect(message).toEqual({ topic: 'test', key: b64('key-0'), value: b64(ALL_BYTES), partition: 0, offset: 0 })
    expect(Buffer.from(message?.value ?? '', 'base64').equals(ALL_BYTES)).toBe(true)
  })

  it('reads count records from offset (count defaults to 1, offset to 0)', async () => {
    await produceV1(['a', 'b', 'c', 'd'].map((value) => ({ value: b64(value) })))
    const offsets = async (query: string) =>
      ((await env.api(`${MESSAGES}${query}`)).json as Array<{ offset: number }>).map((message) => message.offset)
    expect(await offsets('')).toEqual([0])
    expect(await offsets('?offset=1&count=2')).toEqual([1, 2])
    expect(await offsets('?offset=3&count=10')).toEqual([3])
    expect(await offsets('?offset=9')).toEqual([])
  })

  it.each([
    ['V1B', CT.V1B, CT.V1B],
    ['V1', CT.V1, CT.V1],
    ['KJ', CT.KJ, CT.KJ],
    ['J', CT.J, CT.J],
    ['*/*', '*/*', CT.V1B],
    ['empty', '', CT.V1B],
    ["kafka-rest-node's default", `${CT.V1}, ${CT.KJ}; q=0.9, ${CT.J}; q=0.8`, CT.V1],
    ['client q over server qs', `${CT.V1};q=0.8, ${CT.KJ};q=0.9, ${CT.J};q=0.7`, CT.KJ],
  ])('Accept %s selects binary and answers %s', async (_name, accept, responseType) => {
    await produceV1([{ value: b64('v') }])
    const res = await env.api(MESSAGES, { accept })
    expect(res.status).toBe(200)
    expect(res.contentType).toBe(responseType)
    expect(res.json).toEqual([expect.objectContaining({ value: b64('v') })])
  })

  it('no Accept header at all selects binary', async () => {
    await produceV1([{ value: b64('v') }])
    const res = await rawHttp(env.emulator, { method: 'GET', path: MESSAGES })
    expect(res.contentType).toBe(CT.V1B)
    expect(res.json).toEqual([expect.objectContaining({ value: b64('v') })])
  })

  it.each([
    ['json', CT.V1J],
    ['avro', CT.V1A],
  ])('Accept for %s returns embedded JSON values', async (_format, accept) => {
    await env.api('/topics/test', { method: 'POST', contentType: CT.V1J, body: { records: [{ value: { n: 1 } }] } })
    const res = await env.api(MESSAGES, { accept })
    expect(res.contentType).toBe(accept)
    expect(res.json).toEqual([{ topic: 'test', key: null, value: { n: 1 }, partition: 0, offset: 0 }])
  })

  it.each(['text/plain', CT.OS, CT.V2B])('Accept %s matches nothing: 406 without a body', async (accept) => {
    const res = await env.api(MESSAGES, { accept })
    expect(res.status).toBe(406)
    expect(res.text).toBe('')
    expect(res.contentType).toBeNull()
  })

  it.each([
    ['/topics/nope/partitions/0/messages', 40401],
    ['/topics/test/partitions/3/messages', 40402],
  ])('%s answers 404 %i', async (path, errorCode) => {
    const res = await env.api(path)
    expect(res.status).toBe(404)
    expect(res.json).toMatchObject({ error_code: errorCode })
  })
})
