// Server-side waits of reads: woken by produce, [] after the timeout or maxWaitMs, ended by close().
import { describe, expect, it } from 'vitest'
import type { Emulator } from '../../../src/emulator/kafka-rest-emulator.js'
import {
  b64,
  CT,
  createConsumer,
  produceBinary,
  type TestEnv,
  untilRecorded,
  useEmulator,
} from './emulator-test-kit.js'

/**
 * Far beyond the test timeout: a poll that only this wait could end makes the test fail by timing out, so the tests
 * assert which event ended a poll (a produce, the requested timeout, maxWaitMs, close) without timing the machine.
 */
const LONG_WAIT_MS = 600_000

async function subscribedV2(env: TestEnv): Promise<string> {
  const instance = await createConsumer(env, 'poll', { 'auto.offset.reset': 'earliest' })
  await env.api(`${instance}/subscription`, { method: 'POST', contentType: CT.V2, body: { topics: ['test'] } })
  return instance
}

const isRead = (path: string) => (request: { url: string }) => request.url.startsWith(path)

describe('long polls wake on produce', () => {
  const env = useEmulator({ maxWaitMs: LONG_WAIT_MS })

  it('v2 records returns as soon as a record is produced, long before its timeout', async () => {
    const instance = await subscribedV2(env)
    const poll = env.api(`${instance}/records?timeout=${LONG_WAIT_MS}`, { accept: CT.V2B })
    await untilRecorded(env.emulator, isRead(`${instance}/records`))
    await produceBinary(env, 'test', ['wake up'])
    expect((await poll).json).toEqual([{ topic: 'test', key: null, value: b64('wake up'), partition: 0, offset: 0 }])
  })

  it('keeps waiting through records produced to other topics', async () => {
    const instance = await subscribedV2(env)
    const poll = env.api(`${instance}/records?timeout=${LONG_WAIT_MS}`, { accept: CT.V2B })
    await untilRecorded(env.emulator, isRead(`${instance}/records`))
    await produceBinary(env, 'elsewhere', ['not for me'])
    await produceBinary(env, 'test', ['for me'])
    expect(((await poll).json as Array<{ value: string }>).map((record) => record.value)).toEqual([b64('for me')])
  })

  it('v1 topic reads wait server-side too', async () => {
    const instance = await createConsumer(env, 'poll-v1', { 'auto.offset.reset': 'smallest' }, CT.V1)
    await produceBinary(env, 'test', ['subscribe'], CT.V1B)
    expect((await env.api(`${instance}/topics/test`, { accept: CT.V1B })).json).toHaveLength(1)
    env.emulator.clearRequests()
    const read = env.api(`${instance}/topics/test`, { accept: CT.V1B })
    await untilRecorded(env.emulator, isRead(`${instance}/topics/test`))
    await produceBinary(env, 'test', ['v1'], CT.V1B)
    expect((await read).json).toEqual([expect.objectContaining({ value: b64('v1') })])
  })
})

describe('long polls end empty at the requested timeout', () => {
  const env = useEmulator({ maxWaitMs: LONG_WAIT_MS })

  it('answers [] once the requested timeout passes, though maxWaitMs would wait far longer', async () => {
    const instance = await subscribedV2(env)
    const res = await env.api(`${instance}/records?timeout=30`, { accept: CT.V2B })
    expect([res.status, res.json]).toEqual([200, []])
  })
})

describe('long polls end empty at maxWaitMs', () => {
  const env = useEmulator({ maxWaitMs: 60 })

  it.each([
    ['when the timeout is larger', `timeout=${LONG_WAIT_MS}`],
    ['without a timeout', ''],
  ])('answers [] at maxWaitMs %s', async (_case, query) => {
    const instance = await subscribedV2(env)
    const res = await env.api(`${instance}/records?${query}`, { accept: CT.V2B })
    expect([res.status, res.json]).toEqual([200, []])
  })
})

describe('close()', () => {
  const env = useEmulator({ maxWaitMs: LONG_WAIT_MS })

  async function closeWhilePolling(emulator: Emulator, poll: Promise<unknown>, path: string) {
    await untilRecorded(emulator, isRead(path))
    await emulator.close()
    return poll
  }

  it('ends pending long polls with [] and does not hang', async () => {
    const instance = await subscribedV2(env)
    const path = `${instance}/records?timeout=${LONG_WAIT_MS}`
    const poll = env.api(path, { accept: CT.V2B })
    expect(await closeWhilePolling(env.emulator, poll, path)).toMatchObject({ status: 200, json: [] })
  })
})
