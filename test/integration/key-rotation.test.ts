// Per-tenant upstream keys, and key-file rotation under load without a restart or a failed request.
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalIssuer } from '../../src/dev/local-issuer.js'
import { startEmulator } from '../../src/emulator/kafka-rest-emulator.js'
import { eventually } from '../support/eventually.js'
import { b64, V2_BINARY } from '../support/http.js'
import { captureLogs } from '../support/log-capture.js'
import { runEntry } from '../support/processes.js'
import { type Stack, startStack } from '../support/stack.js'

const keyHeaders = (stack: Stack) => stack.emulator.requests.map((request) => request.headers['x-auth-token'])

function produce(stack: Stack, token: string, topic = 'rotation') {
  return fetch(`${stack.url}/topics/${topic}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': V2_BINARY },
    body: JSON.stringify({ records: [{ value: b64('x') }] }),
  })
}

async function drainStatus(res: Response): Promise<number> {
  await res.arrayBuffer()
  return res.status
}

/**
 * Keeps `concurrency` requests in flight, each sent as soon as the one before it is answered, until `done()` holds;
 * resolves with every status. Paced by the answers, not by a clock, so a slow machine sends fewer requests, never
 * different ones.
 */
async function loadUntil(send: () => Promise<Response>, concurrency: number, done: () => boolean): Promise<number[]> {
  const statuses: number[] = []
  const worker = async () => {
    while (!done()) statuses.push(await send().then(drainStatus, () => 0))
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return statuses
}

describe('two tenants mapped to two keys', () => {
  let stack: Stack
  const teamKey = 'key-for-team-a-0123456789'
  beforeAll(async () => {
    stack = await startStack({
      configure: (input) => ({
        ...input,
        upstream: {
          ...input.upstream,
          keys: { ...input.upstream.keys, teamA: { value: teamKey } },
          keyMapping: [{ tenant: 'team-a', key: 'teamA' }],
        },
        auth: { ...input.auth, issuers: input.auth.issuers.map((issuer) => ({ ...issuer, tenantClaim: 'tenant' })) },
      }),
    })
    stack.emulator.setApiKeys([stack.apiKey, teamKey])
  })
  afterAll(() => stack.close())

  it.each([
    ['team-a', 'teamA'],
    ['team-b', 'default'],
    [undefined, 'default'],
  ])('tenant %s reaches upstream with the %s key, and the client never sees it', async (tenant, keyName) => {
    stack.emulator.clearRequests()
    const token = await stack.token('alice', tenant ? { tenant } : {})
    const res = await produce(stack, token)
    const text = await res.text()
    expect(res.status).toBe(200)
    const expected = keyName === 'teamA' ? teamKey : stack.apiKey
    expect(keyHeaders(stack)).toEqual([expected])
    expect(text).not.toContain(expected)
    res.headers.forEach((value) => {
      expect(value).not.toContain(expected)
    })
  })
})

describe('rotating a key file', () => {
  let stack: Stack
  let dir: string
  const logs = captureLogs('info')
  const keptPreviousKey = () => logs.lines.some((line) => line.includes('keeping the previous key'))
  const oldKey = 'old-key-aaaaaaaaaaaaaaaa'
  const newKey = 'new-key-bbbbbbbbbbbbbbbb'
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-keys-'))
    writeFileSync(join(dir, 'api-key'), `${oldKey}\n`)
    stack = await startStack({
      configure: (input) => ({
        ...input,
        upstream: { ...input.upstream, keys: { default: { file: join(dir, 'api-key') } }, keyReloadIntervalMs: 100 },
      }),
      deps: { logger: logs.logger },
    })
    stack.emulator.setApiKeys([oldKey])
  })
  afterAll(async () => {
    await stack.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('switches to the new key under a steady stream of requests, with zero failed requests', async () => {
    const token = await stack.token('alice')
    // Step 1 of a rotation: the upstream accepts old and new.
    stack.emulator.setApiKeys([oldKey, newKey])
    // Eight requests always in flight, until 100 have gone upstream with the new key after the swap.
    const running = loadUntil(
      () => produce(stack, token),
      8,
      () => keyHeaders(stack).filter((key) => key === newKey).length >= 100,
    )
    await eventually(() => stack.emulator.requests.length > 100)
    // Step 2: replace the file atomically, as a Kubernetes secret volume or `mv` does.
    writeFileSync(join(dir, 'api-key.tmp'), `${newKey}\n`)
    renameSync(join(dir, 'api-key.tmp'), join(dir, 'api-key'))
    const statuses = await running
    expect(statuses.length).toBeGreaterThan(200)
    expect(statuses.filter((status) => status !== 200)).toEqual([])
    // One switch, no going back: before the first new-key request only the old key; after it, at most the few old-key
    // requests that were already on their way (the eight in flight may reach the upstream out of order).
    const used = keyHeaders(stack)
    const switchedAt = used.indexOf(newKey)
    expect(used.slice(0, switchedAt).every((key) => key === oldKey)).toBe(true)
    expect(used.slice(switchedAt).filter((key) => key !== newKey).length).toBeLessThan(8)
    // Step 3: the upstream drops the old key; the gateway no longer uses it.
    stack.emulator.setApiKeys([newKey])
    stack.emulator.clearRequests()
    expect((await produce(stack, token)).status).toBe(200)
    expect(keyHeaders(stack)).toEqual([newKey])
  })

  it('keeps the current key when the file is emptied, then takes the next good one', async () => {
    const token = await stack.token('alice')
    stack.emulator.clearRequests()
    writeFileSync(join(dir, 'api-key'), '')
    // Requests before and after the gateway read the emptied file (it says so in its log): all carry the good key.
    let answersAfterRefusal = 0
    const statuses = await loadUntil(
      () => produce(stack, token),
      4,
      () => keptPreviousKey() && ++answersAfterRefusal > 50,
    )
    expect(statuses.filter((status) => status !== 200)).toEqual([])
    expect(new Set(keyHeaders(stack))).toEqual(new Set([newKey]))
    stack.emulator.setApiKeys([newKey, oldKey])
    writeFileSync(join(dir, 'api-key'), oldKey)
    await eventually(async () => (await produce(stack, token)).ok && keyHeaders(stack).at(-1) === oldKey)
  })
})

describe('a Kubernetes secret volume', () => {
  it('follows the ..data symlink swap the kubelet makes when a secret changes', async () => {
    // The kubelet's layout: key -> ..data/key, ..data -> ..<timestamp>/; an update renames a new ..data link into place.
    const dir = mkdtempSync(join(tmpdir(), 'gateway-secret-'))
    const [first, second] = ['k8s-key-one-1111111111', 'k8s-key-two-2222222222']
    const version = (name: string, key: string) => {
      mkdirSync(join(dir, name))
      writeFileSync(join(dir, name, 'api-key'), key)
    }
    version('..2026_01_01', first)
    symlinkSync('..2026_01_01', join(dir, '..data'))
    symlinkSync(join('..data', 'api-key'), join(dir, 'api-key'))
    const stack = await startStack({
      configure: (input) => ({
        ...input,
        upstream: { ...input.upstream, keys: { default: { file: join(dir, 'api-key') } }, keyReloadIntervalMs: 100 },
      }),
    })
    try {
      stack.emulator.setApiKeys([first, second])
      const token = await stack.token('alice')
      expect((await produce(stack, token)).status).toBe(200)
      expect(keyHeaders(stack).at(-1)).toBe(first)
      version('..2026_01_02', second)
      symlinkSync('..2026_01_02', join(dir, '..data_tmp'))
      renameSync(join(dir, '..data_tmp'), join(dir, '..data'))
      await eventually(async () => (await produce(stack, token)).ok && keyHeaders(stack).at(-1) === second, {
        timeoutMs: 2_000,
      })
    } finally {
      await stack.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('SIGHUP', () => {
  it('re-reads the key file on SIGHUP, keeps the old key on a bad file, and never logs a key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gateway-keys-'))
    const file = join(dir, 'api-key')
    const [first, second] = ['sighup-key-one-1111111', 'sighup-key-two-2222222']
    writeFileSync(file, first)
    const emulator = await startEmulator({ apiKeys: [first, second] })
    const issuer = await startLocalIssuer()
    const gateway = runEntry('src/process/main.ts', {
      GATEWAY_HOST: '127.0.0.1',
      GATEWAY_PORT: '0',
      GATEWAY_UPSTREAM_URL: emulator.url,
      GATEWAY_UPSTREAM_API_KEY_FILE: file,
      // No polling: only the signal reloads.
      GATEWAY_UPSTREAM_KEY_RELOAD_INTERVAL_MS: '0',
      GATEWAY_JWKS_URL: issuer.jwksUrl,
      GATEWAY_JWT_ISSUER: issuer.issuer,
      GATEWAY_JWT_AUDIENCE: issuer.audience,
    })
    try {
      const url = await eventually(() => /"url":"(http:[^"]+)"/.exec(gateway.output())?.[1])
      const token = await issuer.mint({ sub: 'alice' })
      const lastKey = async () => {
        const res = await fetch(`${url}/topics`, { headers: { authorization: `Bearer ${token}` } })
        expect(res.status).toBe(200)
        return emulator.requests.at(-1)?.headers['x-auth-token']
      }
      expect(await lastKey()).toBe(first)
      writeFileSync(file, '')
      gateway.child.kill('SIGHUP')
      await eventually(() => gateway.output().includes('keeping the previous key'))
      expect(await lastKey()).toBe(first)
      writeFileSync(file, second)
      expect(await lastKey()).toBe(first)
      gateway.child.kill('SIGHUP')
      await eventually(async () => (await lastKey()) === second)
      // The log line travels through the child's stdout pipe, which may arrive after the HTTP answer.
      await eventually(() => gateway.output().includes('upstream key reloaded'))
      expect(gateway.output()).not.toContain(first)
      expect(gateway.output()).not.toContain(second)
    } finally {
      expect(await gateway.stop()).toBe(0)
      await Promise.all([emulator.close(), issuer.close()])
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
