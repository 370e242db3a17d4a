// GATEWAY_WORKERS: several processes on one port with a shared Redis store; the primary's admin port sums their
// metrics and waits for all of them to be ready; SIGTERM stops every worker and exits 0. Without Redis: a config error.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LocalIssuer, startLocalIssuer } from '../../src/dev/local-issuer.js'
import { type Emulator, startEmulator } from '../../src/emulator/kafka-rest-emulator.js'
import { eventually } from '../support/eventually.js'
import { rawRequest } from '../support/http.js'
import { runEntry } from '../support/processes.js'
import { type RedisServer, startRedis } from '../support/redis.js'

const API_KEY = 'workers-test-upstream-key'
const NEXT_KEY = 'workers-test-rotated-key'
let emulator: Emulator
let issuer: LocalIssuer
let redis: RedisServer
let env: Record<string, string>
let keyFile: string

beforeAll(async () => {
  ;[emulator, issuer, redis] = await Promise.all([
    startEmulator({ apiKeys: [API_KEY, NEXT_KEY] }),
    startLocalIssuer(),
    startRedis(),
  ])
  keyFile = join(mkdtempSync(join(tmpdir(), 'gateway-workers-')), 'api-key')
  writeFileSync(keyFile, API_KEY)
  env = {
    GATEWAY_HOST: '127.0.0.1',
    GATEWAY_PORT: '0',
    GATEWAY_UPSTREAM_URL: emulator.url,
    GATEWAY_UPSTREAM_API_KEY_FILE: keyFile,
    GATEWAY_UPSTREAM_KEY_RELOAD_INTERVAL_MS: '0', // only SIGHUP reloads
    GATEWAY_JWKS_URL: issuer.jwksUrl,
    GATEWAY_JWT_ISSUER: issuer.issuer,
    GATEWAY_JWT_AUDIENCE: issuer.audience,
  }
})
afterAll(async () => {
  await Promise.all([emulator.close(), issuer.close(), redis.close()])
  rmSync(join(keyFile, '..'), { recursive: true, force: true })
})

const isGone = (pid: number) => {
  try {
    process.kill(pid, 0)
    return false
  } catch {
    return true
  }
}

describe('GATEWAY_WORKERS', () => {
  it('refuses more than one worker without the Redis store, naming both settings', async () => {
    const started = runEntry('src/process/main.ts', { ...env, GATEWAY_WORKERS: '2' })
    expect(await started.exited).toBe(2)
    expect(started.output()).toContain(
      'config error: server.workers (GATEWAY_WORKERS) more than 1 needs rateLimit.redis.url',
    )
  })

  it('runs the workers on one port, sums their metrics, is ready when all are, passes SIGHUP on, stops on SIGTERM', async () => {
    const started = runEntry('src/process/main.ts', {
      ...env,
      GATEWAY_WORKERS: '2',
      GATEWAY_REDIS_URL: redis.url,
      GATEWAY_ADMIN_PORT: '0',
    })
    try {
      const listening = () => [...started.output().matchAll(/"url":"(http:[^"]+)".*"worker":(\d+)/g)]
      await eventually(() => listening().length === 2, { timeoutMs: 30_000 })
      const urls = new Set(listening().map((match) => match[1]))
      expect(urls.size).toBe(1) // one port for both
      const [url] = urls
      const workers = listening().map((match) => Number(match[2]))
      const admin = (/"admin":"(http:[^"]+)"/.exec(started.output()) as RegExpExecArray)[1]
      await eventually(async () => (await fetch(`${admin}/readyz`)).status === 200, { timeoutMs: 15_000 })

      const token = await issuer.mint({ sub: 'alice' })
      for (let i = 0; i < 20; i++) {
        // A new connection each time, so the primary spreads them over the workers.
        const res = await rawRequest(`${url}/topics`, { headers: { authorization: `Bearer ${token}` } })
        expect(res.status).toBe(200)
      }
      const metrics = await (await fetch(`${admin}/metrics`)).text()
      expect(metrics).toContain('kafka_rest_gateway_requests_total{route="metadata",status="200"} 20')
      expect(metrics).toContain('kafka_rest_gateway_ready 2')

      // SIGHUP to the primary reloads the key file in every worker.
      writeFileSync(keyFile, NEXT_KEY)
      started.child.kill('SIGHUP')
      await eventually(async () => {
        emulator.clearRequests()
        for (let i = 0; i < 6; i++) await rawRequest(`${url}/topics`, { headers: { authorization: `Bearer ${token}` } })
        return emulator.requests.every((request) => request.headers['x-auth-token'] === NEXT_KEY)
      })

      started.child.kill('SIGTERM')
      expect(await started.exited).toBe(0)
      await eventually(() => workers.every(isGone))
    } finally {
      await started.stop()
    }
  })
})
