// A Redis command that timed out was already answered (let through, fail-open): it must never be applied later.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisState } from '../../src/state/redis-state.js'
import type { SharedState } from '../../src/state/shared-state.js'
import { eventually } from '../support/eventually.js'
import { rawRequest } from '../support/http.js'
import { type RedisServer, startRedis } from '../support/redis.js'
import { type Stack, startStack } from '../support/stack.js'

const COMMAND_TIMEOUT_MS = 200

describe('a paused Redis (SIGSTOP) that resumes after its commands timed out', () => {
  let redis: RedisServer
  let state: SharedState
  beforeAll(async () => {
    redis = await startRedis()
    state = createRedisState({ url: redis.url, cluster: false, keyPrefix: 't:', commandTimeoutMs: COMMAND_TIMEOUT_MS })
    await state.warmUp()
  })
  afterAll(async () => {
    await state?.close()
    await redis?.close()
  })

  /** Runs `work` while Redis is frozen, resumes it once the command has failed, and waits until Redis answers again. */
  async function whilePaused(work: () => Promise<unknown>) {
    redis.pause()
    try {
      await expect(work()).rejects.toThrow(/timed out/i)
    } finally {
      redis.resume()
    }
    await eventually(
      async () => (await Promise.resolve(state.records.read('{probe}', 0)).catch(() => 'down')) === undefined,
    )
  }

  it('does not charge a bucket with a decision that timed out', async () => {
    const key = '{late}:bucket'
    const spec = [{ limit: 1, windowMs: 3_600_000 }]
    expect((await state.buckets.consume([key], spec, [0], 1_000)).buckets[0]?.remaining).toBe(1)
    await whilePaused(async () => state.buckets.consume([key], spec, [1], 1_000))
    // The command reached Redis's socket before the pause and ran after it: the deadline made it a no-op.
    expect((await state.buckets.consume([key], spec, [0], 1_000)).buckets[0]?.remaining).toBe(1)
    expect((await state.buckets.consume([key], spec, [1], 1_000)).allowed).toBe(true)
  })

  it('does not take a record or a place with a claim that timed out', async () => {
    await whilePaused(async () => state.records.claim('owner:{late}', 'alice', 60_000, 1_000))
    await whilePaused(async () => state.records.join('owned:{late}', 'x', 1, 60_000, 1_000))
    expect(await state.records.read('owner:{late}', 1_000)).toBeUndefined()
    expect(await state.records.claim('owner:{late}', 'bob', 60_000, 1_000)).toBe('bob')
    expect(await state.records.join('owned:{late}', 'y', 1, 60_000, 1_000)).toBe(true)
  })
})

describe('a gateway failing open while Redis is paused', () => {
  let redis: RedisServer
  let stack: Stack
  beforeAll(async () => {
    redis = await startRedis()
    stack = await startStack({
      configure: (input) => ({
        ...input,
        rateLimit: {
          requests: 2,
          windowSeconds: 3_600,
          onStoreError: 'failOpen',
          redis: { url: redis.url, commandTimeoutMs: COMMAND_TIMEOUT_MS },
        },
      }),
    })
  })
  afterAll(async () => {
    await stack?.close()
    await redis?.close()
  })

  it('never charges the requests it let through: after Redis resumes the caller still has its whole budget', async () => {
    const token = await stack.token('alice')
    const get = () => rawRequest(`${stack.url}/topics`, { headers: { authorization: `Bearer ${token}` } })
    redis.pause()
    try {
      for (let i = 0; i < 3; i++) {
        const res = await get()
        expect(res.status, res.body).toBe(200)
        expect(res.headers.ratelimit).toBeUndefined()
      }
    } finally {
      redis.resume()
    }
    // Limits apply again once Redis answers: exactly the budget of 2, untouched by the 3 failed-open decisions.
    await eventually(async () => (await get()).headers.ratelimit !== undefined)
    const after = await get()
    expect(after.status).toBe(200)
    expect(after.headers.ratelimit).toMatch(/r=0/)
    expect((await get()).status).toBe(429)
  })
})
