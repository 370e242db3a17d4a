// Graceful shutdown of the real process: SIGTERM during 50 long polls drains them (or answers 503 at the deadline), exit 0.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LocalIssuer, startLocalIssuer } from '../../src/dev/local-issuer.js'
import { type Emulator, startEmulator } from '../../src/emulator/kafka-rest-emulator.js'
import { eventually } from '../support/eventually.js'
import { V2, V2_BINARY } from '../support/http.js'
import { gatewayEnv, runEntry, type Started } from '../support/processes.js'
import { openSocket } from '../support/raw-socket.js'

const API_KEY = 'shutdown-test-upstream-key'
const POLLS = 50
/**
 * Far beyond the test timeout: a wait this long that the test depends on makes it fail by timing out, so these tests
 * assert which event ended a wait (the polls finishing, the drain deadline) without reading a clock.
 */
const BEYOND_THE_TEST = 600_000
let emulator: Emulator
let issuer: LocalIssuer
let dir: string
let token: string

beforeAll(async () => {
  ;[emulator, issuer] = await Promise.all([
    startEmulator({ apiKeys: [API_KEY], maxWaitMs: BEYOND_THE_TEST }),
    startLocalIssuer(),
  ])
  token = await issuer.mint({ sub: 'poller' })
  dir = mkdtempSync(join(tmpdir(), 'gateway-shutdown-'))
  // One caller holds all 50 long polls on 50 instances: raise its concurrency cap (default 10) and instance cap (32).
  writeFileSync(
    join(dir, 'gateway.yaml'),
    'rateLimit:\n  consume:\n    maxConcurrent: 100\nauthz:\n  consumers:\n    maxInstancesPerCaller: 100\n',
  )
})
afterAll(async () => {
  await Promise.all([emulator.close(), issuer.close()])
  rmSync(dir, { recursive: true, force: true })
})

async function startGateway(graceMs: number): Promise<{ gateway: Started; url: string; admin: string }> {
  const gateway = runEntry(
    'src/process/main.ts',
    gatewayEnv(
      { upstreamUrl: emulator.url, apiKey: API_KEY, issuer },
      { GATEWAY_ADMIN_PORT: '0', GATEWAY_SHUTDOWN_GRACE_MS: String(graceMs) },
    ),
    ['--config', join(dir, 'gateway.yaml')],
  )
  const listening = (await eventually(() => /"url":"(http:[^"]+)","admin":"(http:[^"]+)"/.exec(gateway.output()), {
    timeoutMs: 20_000,
  })) as RegExpExecArray
  return { gateway, url: listening[1] as string, admin: listening[2] as string }
}

/** Creates and subscribes `count` consumers, then starts one long poll on each; resolves once all reached upstream. */
async function startLongPolls(url: string, group: string, count: number, timeoutMs: number) {
  const headers = { authorization: `Bearer ${token}`, 'content-type': V2 }
  const instances = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const created = await fetch(`${url}/consumers/${group}`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ name: `c${i}`, format: 'binary' }),
      })
      expect(created.status).toBe(200)
      const base = `${url}/consumers/${group}/instances/c${i}`
      const subscribed = await fetch(`${base}/subscription`, { method: 'POST', headers, body: '{"topics":["idle"]}' })
      expect(subscribed.status).toBe(204)
      return base
    }),
  )
  emulator.clearRequests()
  const polls = instances.map((base) =>
    fetch(`${base}/records?timeout=${timeoutMs}`, {
      headers: { authorization: headers.authorization, accept: V2_BINARY },
    })
      .then(async (res) => ({ status: res.status, body: await res.text() }))
      .catch((error: Error) => ({ status: 0, body: error.message })),
  )
  await eventually(() => emulator.requests.filter((r) => r.url.includes('/records')).length === count)
  return polls
}

describe('SIGTERM', () => {
  it(`lets ${POLLS} in-flight long polls finish, refuses new connections, reports not ready, and exits 0`, async () => {
    // A grace period the process must not wait out: it exits because the polls are done.
    const { gateway, url, admin } = await startGateway(BEYOND_THE_TEST)
    const polls = await startLongPolls(url, 'drain', POLLS, 2_000)
    let pollsAnswered = false
    const answered = Promise.all(polls).then((answers) => {
      pollsAnswered = true
      return answers
    })
    const idle = await openSocket(url) // a keep-alive connection, idle after one answer
    await new Promise((resolve) => {
      idle.once('data', resolve)
      idle.write('GET /healthz HTTP/1.1\r\nHost: gateway\r\n\r\n')
    })
    const idleClosedWhilePolling = new Promise<boolean>((resolve) => idle.once('close', () => resolve(!pollsAnswered)))
    idle.resume()
    gateway.child.kill('SIGTERM')

    // Closed at once: while the long polls are still waiting upstream, not after them or at the keep-alive timeout.
    expect(await idleClosedWhilePolling).toBe(true)
    await eventually(async () => (await fetch(`${admin}/readyz`)).status === 503)
    await expect(fetch(`${url}/healthz`)).rejects.toThrow() // the listener is closed
    const answers = await answered
    expect(answers.map((a) => a.status)).toEqual(Array(POLLS).fill(200))
    expect(answers.every((a) => a.body === '[]')).toBe(true)
    expect(await gateway.exited).toBe(0)
    expect(gateway.output()).toContain('shutting down: draining in-flight requests')
  })

  it('answers long polls still running at the deadline with a clean 503, and exits 0', async () => {
    // Polls the upstream would hold past the test timeout: only the 300 ms drain deadline can answer them.
    const { gateway, url } = await startGateway(300)
    const polls = await startLongPolls(url, 'deadline', 5, BEYOND_THE_TEST)
    gateway.child.kill('SIGTERM')

    const answers = await Promise.all(polls)
    for (const answer of answers) {
      expect(answer.status).toBe(503)
      expect(JSON.parse(answer.body)).toMatchObject({ error_code: 50394, error: 'SHUTTING_DOWN' })
    }
    expect(await gateway.exited).toBe(0)
  })
})
