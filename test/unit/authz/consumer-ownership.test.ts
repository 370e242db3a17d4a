// The ownership stage's failure paths after the upstream created an instance: it never stays there unowned.
import { EventEmitter } from 'node:events'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { describe, expect, it } from 'vitest'
import type { Identity } from '../../../src/auth/identity.js'
import { consumerOwnership, type InstanceName } from '../../../src/authz/consumer-ownership.js'
import { configSchema } from '../../../src/config/schema.js'
import type { GatewayError } from '../../../src/errors/gateway-error.js'
import type { RequestContext } from '../../../src/request-context.js'
import { createMemoryState } from '../../../src/state/memory-state.js'
import type { RecordStore } from '../../../src/state/record-store.js'
import { CT } from '../../support/http.js'
import { captureLogs } from '../../support/log-capture.js'

const config = configSchema.parse({
  upstream: { url: 'http://127.0.0.1:1', keys: { default: { value: 'k' } } },
  auth: { issuers: [{ issuer: 'https://idp/', audience: 'a', jwksUrl: 'https://idp/jwks' }] },
}).authz.consumers

const who = (subject: string): Identity => ({ subject, issuer: 'https://idp/', scopes: [], expiresAt: 0 })

/** Runs a v2 create for `identity` through the stage and the answer step, as the proxy would on a 200. */
async function createThrough(records: RecordStore, identity: Identity) {
  const removed: InstanceName[] = []
  const logs = captureLogs('debug')
  const stage = consumerOwnership(config, {
    records,
    isAvailable: () => true,
    now: () => 1_000,
    logger: logs.logger,
    removeInstance: async (_identity, name) => void removed.push(name),
    upstreamTimeoutMs: 1_000,
  })
  const req = { headers: { 'content-type': CT.V2 } } as unknown as IncomingMessage
  const res = Object.assign(new EventEmitter(), { statusCode: 200 }) as unknown as ServerResponse
  const ctx = {
    requestId: 'r',
    startedAt: 0n,
    identity,
    route: { kind: 'consumer-lifecycle', name: 'consumer-create', group: 'g' },
  } as RequestContext
  await stage?.(req, res, ctx)
  const outcome = await Promise.resolve(ctx.answerSteps?.[0]?.({ instance_id: 'c1' }, 200)).then(
    () => 'kept',
    (error: GatewayError) => error.code,
  )
  return { outcome, removed }
}

describe('consumerOwnership after the upstream created the instance', () => {
  it('claims it for the creator and deletes nothing', async () => {
    const { records } = createMemoryState({ maxKeys: 100 })
    expect(await createThrough(records, who('alice'))).toEqual({ outcome: 'kept', removed: [] })
  })

  it('refuses with 409 and deletes the new instance upstream when another caller holds the name', async () => {
    const { records } = createMemoryState({ maxKeys: 100 })
    await createThrough(records, who('alice'))
    const { outcome, removed } = await createThrough(records, who('bob'))
    expect(outcome).toBe('CONSUMER_INSTANCE_TAKEN')
    expect(removed).toEqual([{ namespace: 'v2', group: 'g', instance: 'c1' }])
  })

  it('refuses with 503 and deletes the new instance upstream when the claim cannot be written', async () => {
    const { records } = createMemoryState({ maxKeys: 100 })
    const failing: RecordStore = {
      ...records,
      claim: () => {
        throw new Error('store gone')
      },
    }
    const { outcome, removed } = await createThrough(failing, who('alice'))
    expect(outcome).toBe('OWNERSHIP_UNAVAILABLE')
    expect(removed).toEqual([{ namespace: 'v2', group: 'g', instance: 'c1' }])
  })
})

describe('consumerOwnership on a use of an instance', () => {
  const alice = who('alice')
  /** A stage over `records` with a clock the test moves, counting the refresh writes. */
  function useStage(records: RecordStore) {
    let clock = 1_000
    const refreshed: string[] = []
    const counted: RecordStore = {
      ...records,
      refresh: (key, value, ttlMs, now) => {
        refreshed.push(key)
        return records.refresh(key, value, ttlMs, now)
      },
    }
    const stage = consumerOwnership(config, {
      records: counted,
      isAvailable: () => true,
      now: () => clock,
      logger: captureLogs('debug').logger,
      removeInstance: async () => {},
      upstreamTimeoutMs: 1_000,
    })
    const use = (identity: Identity) => {
      const req = { headers: { accept: CT.V2B } } as unknown as IncomingMessage
      const res = Object.assign(new EventEmitter(), { statusCode: 200 }) as unknown as ServerResponse
      const route = { kind: 'consume', name: 'consumer-records', group: 'g', instance: 'c1' }
      return stage?.(req, res, { requestId: 'r', startedAt: 0n, identity, route } as RequestContext)
    }
    const advance = (ms: number) => {
      clock += ms
    }
    return { use, refreshed, advance }
  }
  const settled = () => new Promise((resolve) => setImmediate(resolve))

  it('answers synchronously with the memory store, and refreshes a record at most once per tenth of its timeout', async () => {
    const { records } = createMemoryState({ maxKeys: 100 })
    await createThrough(records, alice)
    const { use, refreshed, advance } = useStage(records)
    expect(use(alice)).toBeUndefined()
    for (let i = 0; i < 5; i++) use(alice)
    await settled()
    expect(refreshed).toHaveLength(1)
    advance((config.instanceTimeoutSeconds * 1000) / 10)
    use(alice)
    await settled()
    expect(refreshed).toHaveLength(2)
  })

  it('refuses another caller (403) and a store that throws (503), synchronously', async () => {
    const { records } = createMemoryState({ maxKeys: 100 })
    await createThrough(records, alice)
    expect(() => useStage(records).use(who('bob'))).toThrow(expect.objectContaining({ code: 'INSTANCE_NOT_OWNED' }))
    const failing: RecordStore = {
      ...records,
      read: () => {
        throw new Error('store gone')
      },
    }
    expect(() => useStage(failing).use(alice)).toThrow(expect.objectContaining({ code: 'OWNERSHIP_UNAVAILABLE' }))
  })

  it('waits for a store that answers later, and refuses when it fails (503)', async () => {
    const { records } = createMemoryState({ maxKeys: 100 })
    await createThrough(records, alice)
    const later: RecordStore = { ...records, read: async (key, now) => records.read(key, now) }
    await expect(useStage(later).use(alice)).resolves.toBeUndefined()
    const failing: RecordStore = { ...records, read: async () => Promise.reject(new Error('store gone')) }
    await expect(useStage(failing).use(alice)).rejects.toMatchObject({ code: 'OWNERSHIP_UNAVAILABLE' })
  })
})
