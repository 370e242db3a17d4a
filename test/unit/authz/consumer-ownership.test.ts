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
