// Consumer groups and instances: per-tenant group prefixes, and instances usable only by the subject that created them.
import type { ServerResponse } from 'node:http'
import type { Identity } from '../auth/identity.js'
import type { Config } from '../config/schema.js'
import { GatewayError } from '../errors/gateway-error.js'
import type { Logger } from '../observability/logger.js'
import type { LimitStore } from '../ratelimit/limit-store.js'
import type { AnswerStep, RequestContext, Stage } from '../request-context.js'

/** Ownership lives in the rate-limit store (memory or Redis), so every replica sees it. */
export type OwnerRecords = Pick<LimitStore, 'get' | 'set' | 'delete'>

type ConsumersConfig = Config['authz']['consumers']

/** Undefined when neither ownership nor group prefixes are on. */
export function consumerOwnership(config: ConsumersConfig, store: OwnerRecords, logger: Logger): Stage | undefined {
  if (!config.ownership && config.groupPrefix === 'none') return undefined
  const ttlMs = config.instanceTimeoutSeconds * 1000
  // Refreshing and forgetting happen after the decision; a failure there only shortens or lengthens a record's life.
  const onLateFailure = (error: unknown) =>
    logger.warn({ reason: (error as Error).message }, 'consumer ownership record not updated')

  async function checkOwner(res: ServerResponse, ctx: RequestContext, group: string, instance: string, owner: string) {
    const key = recordKey(group, instance)
    if ((await read(store, key)) !== owner) throw new GatewayError('INSTANCE_NOT_OWNED')
    // Like the REST proxy's idle timer: every use keeps the instance (and its record) alive.
    if (ctx.route?.name === 'consumer-delete') forgetOnSuccess(res, () => later(() => store.delete(key), onLateFailure))
    else later(() => store.set(key, owner, ttlMs), onLateFailure)
  }

  // Synchronous for every other route: only consumer routes pay for a promise.
  return function consumerOwnershipStage(_req, res, ctx) {
    const { route, identity } = ctx
    if (!route?.group || !identity) return
    if (config.groupPrefix === 'tenant') checkGroupPrefix(route.group, identity)
    if (!config.ownership) return
    const owner = ownerOf(identity)
    if (route.instance !== undefined) return checkOwner(res, ctx, route.group, route.instance, owner)
    if (route.name !== 'consumer-create') return
    ctx.answerSteps ??= []
    ctx.answerSteps.push(recordOwner(store, route.group, owner, ttlMs))
  }
}

function checkGroupPrefix(group: string, identity: Identity): void {
  const prefix = identity.tenant === undefined ? undefined : `${identity.tenant}.`
  if (prefix !== undefined && group.startsWith(prefix) && group.length > prefix.length) return
  throw new GatewayError('FORBIDDEN', {
    message:
      prefix === undefined
        ? 'Consumer groups are per tenant, and the token has no tenant'
        : `Consumer group ${JSON.stringify(group)} is not allowed: this tenant's groups start with ${JSON.stringify(prefix)}`,
  })
}

/** Issuer and subject: the same `sub` from two identity providers is two people. */
function ownerOf(identity: Identity): string {
  return `${identity.issuer} ${identity.subject}`
}

/** Names are percent-encoded, so no group/instance pair can collide with another; `{…}` keeps one Redis Cluster slot. */
function recordKey(group: string, instance: string): string {
  return `owner:{${encodeURIComponent(group)}/${encodeURIComponent(instance)}}`
}

async function read(store: OwnerRecords, key: string): Promise<string | undefined> {
  try {
    return await store.get(key)
  } catch (error) {
    throw unavailable(error)
  }
}

/** On the 200 answer of consumer creation: the instance it names now belongs to the caller (before the client hears of it). */
function recordOwner(store: OwnerRecords, group: string, owner: string, ttlMs: number): AnswerStep {
  return async (answer) => {
    const id =
      typeof answer === 'object' && answer !== null ? (answer as { instance_id?: unknown }).instance_id : undefined
    if (typeof id !== 'string') return undefined
    try {
      await store.set(recordKey(group, id), owner, ttlMs)
    } catch (error) {
      throw unavailable(error)
    }
    return undefined
  }
}

function forgetOnSuccess(res: ServerResponse, forget: () => void): void {
  res.once('finish', () => {
    if (res.statusCode < 300) forget()
  })
}

/** Store work nobody waits for; a synchronous throw (memory) and a rejection (Redis) end up in the same place. */
function later(work: () => unknown, onFailure: (error: unknown) => void): void {
  Promise.resolve().then(work).catch(onFailure)
}

/** Fail closed: without the record nobody can tell the owner from anyone else. */
function unavailable(error: unknown): GatewayError {
  return new GatewayError('OWNERSHIP_UNAVAILABLE', { headers: { 'Retry-After': '1' }, cause: error })
}
