// Limits in a real Redis: one budget across gateway processes, fail-open or fail-closed while Redis is down, and recovery.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LocalIssuer, startLocalIssuer } from '../../src/dev/local-issuer.js'
import { type Emulator, startEmulator } from '../../src/emulator/kafka-rest-emulator.js'
import { createLogger } from '../../src/observability/logger.js'
import { eventually } from '../support/eventually.js'
import { gatewayEnv, listeningUrl, runEntry, type Started } from '../support/processes.js'
import { type RedisServer, startRedis } from '../support/redis.js'
import { type Stack, startStack } from '../support/stack.js'

let redis: RedisServer

beforeAll(async () => {
  redis = await startRedis()
})
afterAll(async () => {
  await redis.close()
})

describe('two gateway processes sharing one Redis', () => {
  const apiKey = randomBytes(12).toString('hex')
  let emulator: Emulator
  let issuer: LocalIssuer
  let gateways: Started[] = []
  let urls: string[] = []

  beforeAll(async () => {
    ;[emulator, issuer] = await Promise.all([startEmulator({ apiKeys: [apiKey] }), startLocalIssuer()])
    const env = gatewayEnv(
      { upstreamUrl: emulator.url, apiKey, issuer },
      {
        GATEWAY_RATE_LIMIT_REQUESTS: '10',
        GATEWAY_RATE_LIMIT_WINDOW_SECONDS: '3600',
        GATEWAY_REDIS_URL: redis.url,
        GATEWAY_LOG_LEVEL: 'info',
      },
    )
    gateways = [runEntry('src/process/main.ts', env), runEntry('src/process/main.ts', env)]
    urls = await Promise.all(gateways.map((gateway) => listeningUrl(gateway, 30_000)))
    // Each process answers with RateLimit headers once its Redis connection is up (before that it fails open).
    const probe = await issuer.mint({ sub: 'probe' })
    for (const url of urls) {
      await eventually(async () => {
        const res = await fetch(`${url}/topics`, { headers: { authorization: `Bearer ${probe}` } })
        return res.headers.get('ratelimit')
      })
    }
  })
  afterAll(async () => {
    expect(await Promise.all(gateways.map((gateway) => gateway.stop()))).toEqual([0, 0])
    await Promise.all([emulator.close(), issuer.close()])
  })

  it('enforces one limit for a subject: 30 requests spread over both let at most the limit + 1 through', async () => {
    emulator.clearRequests()
    const token = await issuer.mint({ sub: 'alice' })
    const statuses: number[] = []
    for (let i = 0; i < 30; i++) {
      const res = await fetch(`${urls[i % 2]}/topics`, { headers: { authorization: `Bearer ${token}` } })
      statuses.push(res.status)
    }
    const passed = statuses.filter((status) => status === 200).length
    expect(passed).toBeGreaterThanOrEqual(10)
    expect(passed).toBeLessThanOrEqual(11)
    expect(statuses.filter((status) => status === 429)).toHaveLength(30 - passed)
    expect(emulator.requests).toHaveLength(passed)
  })

  it('counts down one shared budget, whichever process answers', async () => {
    const token = await issuer.mint({ sub: 'bob' })
    const remaining = []
    for (const url of [urls[0], urls[1], urls[0]]) {
      const res = await fetch(`${url}/topics`, { headers: { authorization: `Bearer ${token}` } })
      remaining.push(res.headers.get('ratelimit'))
    }
    expect(remaining).toEqual(['"metadata";r=9;t=360', '"metadata";r=8;t=720', '"metadata";r=7;t=1080'])
  })
})

describe('Redis stopped mid-test and started again', () => {
  const logLines: string[] = []
  let failOpen: Stack
  let failClosed: Stack

  const start = (onStoreError: 'failOpen' | 'failClosed', logger?: ReturnType<typeof createLogger>) =>
    startStack({
      deps: logger ? { logger } : {},
      configure: (input) => ({
        ...input,
        rateLimit: {
          requests: 3,
          windowSeconds: 3600,
          onStoreError,
          redis: { url: redis.url, keyPrefix: `${onStoreError}:` },
        },
      }),
    })

  beforeAll(async () => {
    const logger = createLogger({ level: 'info' }, { write: (line: string) => void logLines.push(line) })
    ;[failOpen, failClosed] = await Promise.all([start('failOpen', logger), start('failClosed')])
  })
  afterAll(async () => {
    await Promise.all([failOpen.close(), failClosed.close()])
  })

  const topics = async (stack: Stack, sub = 'alice') =>
    fetch(`${stack.url}/topics`, { headers: { authorization: `Bearer ${await stack.token(sub)}` } })
  const statuses = async (stack: Stack, count: number) => {
    const answers: number[] = []
    for (let i = 0; i < count; i++) answers.push((await topics(stack)).status)
    return answers
  }

  it('limits while Redis is up', async () => {
    expect(await statuses(failOpen, 4)).toEqual([200, 200, 200, 429])
  })

  it('fails open while Redis is down: traffic passes quickly, store errors are counted and logged once', async () => {
    await redis.stop()
    const stats = failOpen.gateway.limits.stats
    const errorsBefore = stats.storeErrors
    // No clock here: with an offline queue a command would wait for Redis to come back, and this loop would hang past
    // the test timeout; it ends because each command fails at its own timeout.
    for (let i = 0; i < 5; i++) {
      const res = await topics(failOpen)
      expect(res.status).toBe(200)
      expect(res.headers.get('ratelimit')).toBeNull()
    }
    expect(stats.storeErrors - errorsBefore).toBe(5)
    expect(stats.failedOpen).toBeGreaterThanOrEqual(5)
    expect(logLines.filter((line) => line.includes('rate-limit store unavailable'))).toHaveLength(1)
  })

  it('fails closed while Redis is down: 503 with a Kafka-style body, nothing upstream', async () => {
    failClosed.emulator.clearRequests()
    const res = await topics(failClosed)
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('1')
    expect(await res.json()).toMatchObject({ error_code: 50393, error: 'LIMITS_UNAVAILABLE' })
    expect(failClosed.emulator.requests).toHaveLength(0)
    expect(failClosed.gateway.limits.stats.failedClosed).toBeGreaterThanOrEqual(1)
  })

  it('limits again once Redis is back, without restarting the gateway', async () => {
    await redis.start()
    await eventually(() => failOpen.gateway.state.isAvailable() && failClosed.gateway.state.isAvailable(), {
      timeoutMs: 10_000,
    })
    // The restarted Redis is empty, so alice has a whole budget again, and then none.
    expect(await statuses(failOpen, 4)).toEqual([200, 200, 200, 429])
    expect((await topics(failClosed)).status).toBe(200)
    expect(logLines.filter((line) => line.includes('rate-limit store available again'))).toHaveLength(1)
  })
})
