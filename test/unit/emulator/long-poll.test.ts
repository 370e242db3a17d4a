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

const LONG_WAIT_MS = 20_000

async function subscribedV2(env: TestEnv): Promise<string> {
  const instance = await createConsumer(env, 'poll', { 'auto.offset.reset': 'earliest' })
  await env.api(`${instance}/subscription`, { method: 'POST', contentType: CT.V2, body: { topics: ['test'] } })
  return instance
}

const isRead = (path: string) => (request: { url: string }) => request.url.startsWith(path)

async function timed<T>(work: Promise<T>): Promise<{ value: T; elapsedMs: number }> {
  const started = performance.now()
  const value = await work
  return { value, elapsedMs: performance.now() - started }
}

describe('long polls wake on produce', () => {
  const env = useEmulator({ maxWaitMs: LONG_WAIT_MS })

  it('v2 records returns as soon as a record is produced, long before its timeout', async () => {
    const instance = await subscribedV2(env)
    const poll = timed(env.api(`${instance}/records?timeout=${LONG_WAIT_MS}`, { accept: CT.V2B }))
    await untilRecorded(env.emulator, isRead(`${instance}/records`))
    await produceBinary(env, 'test', ['wake up'])
    const { value: res, elapsedMs } = await poll
    expect(res.json).toEqual([{ topic: 'test', key: null, value: b64('wake up'), partition: 0, offset: 0 }])
    expect(elapsedMs).toBeLessThan(LONG_WAIT_MS / 2)
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
    const read = timed(env.api(`${instance}/topics/test`, { accept: CT.V1B }))
    await untilRecorded(env.emulator, isRead(`${instance}/topics/test`))
    await produceBinary(env, 'test', ['v1'], CT.V1B)
    const { value: res, elapsedMs } = await read
    expect(res.json).toEqual([expect.objectContaining({ value: b64('v1') })])
    expect(elapsedMs).toBeLessThan(1000)
  })
})

describe('long polls end empty', () => {
  const env = useEmulator({ maxWaitMs: 60 })

  it.each([
    ['the requested timeout', 'timeout=30', 30],
    ['maxWaitMs when the timeout is larger', `timeout=${LONG_WAIT_MS}`, 60],
    ['maxWaitMs without a timeout', '', 60],
  ])('answers [] after %s', async (_case, query, waitMs) => {
    const instance = await subscribedV2(env)
    const { value: res, elapsedMs } = await timed(env.api(`${instance}/records?${query}`, { accept: CT.V2B }))
    expect([res.status, res.json]).toEqual([200, []])
    expect(elapsedMs).toBeGreaterThanOrEqual(waitMs - 5)
    expect(elapsedMs).toBeLessThan(LONG_WAIT_MS / 2)
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
    const { value: res, elapsedMs } = await timed(closeWhilePolling(env.emulator, poll, path))
    expect(res).toMatchObject({ status: 200, json: [] })
    expect(elapsedMs).toBeLessThan(LONG_WAIT_MS / 2)
  })
})
