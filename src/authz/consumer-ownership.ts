// Consumer groups and instances: per-tenant group prefixes, and instances claimed by (and usable only by) their creator.
import { createHash, randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Identity } from '../auth/identity.js'
import type { Config } from '../config/schema.js'
import { GatewayError } from '../errors/gateway-error.js'
import type { Logger } from '../observability/logger.js'
import { quote } from '../policy/quote.js'
import type { RouteMatch } from '../policy/route-match.js'
import type { RequestContext, Stage } from '../request-context.js'
import type { MaybePromise } from '../state/bucket-store.js'
import type { RecordStore } from '../state/record-store.js'
import { type ConsumerNamespace, createNamespace, instanceNamespace, NAMESPACES } from './consumer-namespace.js'
import { isTenantGroup } from './group-access.js'

export interface InstanceName {
  namespace: ConsumerNamespace
  group: string
  instance: string
}

export interface OwnershipDeps {
  /** The shared record store (memory or Redis), so every replica sharing it agrees on who owns an instance. */
  records: RecordStore
  /** False while the store cannot answer: a create is then refused before it reaches the upstream. */
  isAvailable(): boolean
  now(): number
  logger: Logger
  /** Deletes an instance upstream with the caller's upstream key (the one a refused create just made). */
  removeInstance(identity: Identity, name: InstanceName): Promise<void>
  /** How long a create may take upstream: its place under the caller's cap is reserved that long. */
  upstreamTimeoutMs: number
}

type ConsumersConfig = Config['authz']['consumers']

/** Undefined when neither ownership nor group prefixes are on. */
export function consumerOwnership(config: ConsumersConfig, deps: OwnershipDeps): Stage | undefined {
  if (!config.ownership && config.groupPrefix === 'none') return undefined
  const { records, now, logger } = deps
  const ttlMs = config.instanceTimeoutSeconds * 1000
  const cap = config.maxInstancesPerCaller
  const pendingMs = deps.upstreamTimeoutMs + 5_000
  const ownerOf = createOwnerOf()
  const refreshes = createRefreshSchedule(ttlMs)
  // Refreshing and forgetting happen after the decision; a failure there only shortens or lengthens a record's life.
  const onLateFailure = (error: unknown) =>
    logger.warn({ reason: (error as Error).message }, 'consumer ownership record not updated')
  const later = (work: () => unknown) => {
    Promise.resolve().then(work).catch(onLateFailure)
  }

  /** Before the create goes upstream: the store answers, and the caller has a free place under the cap (reserved). */
  async function reserve(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, group: string) {
    const identity = ctx.identity as Identity
    if (!deps.isAvailable()) throw unavailable(new Error('the record store is not connected'))
    const owner = ownerOf(identity)
    const owned = ownedKey(owner)
    const pending = `pending:${randomUUID()}`
    if (!(await guarded(() => records.join(owned, pending, cap, pendingMs, now())))) {
      throw new GatewayError('TOO_MANY_CONSUMERS', {
        message: `This caller already has ${cap} live consumer instances, the most allowed: delete one (or let it time out) first`,
      })
    }
    let kept = false
    res.once('close', () => {
      if (kept) return
      // The client left after the create went upstream: the upstream may have made the instance, which nobody can claim
      // now. Its place stays taken for an instance's lifetime, or hanging up would make instances past the cap. Any
      // other end without a claim (refused, upstream error, deleted again) gives the reserved place back.
      const mayExist = ctx.upstreamSentAt !== undefined && !res.writableFinished
      later(() => (mayExist ? records.join(owned, pending, cap, ttlMs, now()) : records.leave(owned, pending)))
    })
    const namespace = createNamespace(req.headers)
    ctx.answerSteps ??= []
    ctx.answerSteps.push(async (answer) => {
      const instance = instanceIdOf(answer)
      if (instance === undefined) return undefined
      const name = { namespace, group, instance }
      const key = recordKey(name)
      let holder: string
      try {
        holder = await records.claim(key, owner, ttlMs, now())
      } catch (error) {
        await removeUpstream(identity, name)
        throw unavailable(error)
      }
      if (holder !== owner) {
        await removeUpstream(identity, name)
        throw new GatewayError('CONSUMER_INSTANCE_TAKEN')
      }
      kept = true
      // The reserved place becomes the instance's. Should that fail, the reservation times out and the cap counts one
      // instance too few for a while: not worth refusing a create the caller already owns.
      await Promise.resolve()
        .then(() => records.join(owned, key, cap, ttlMs, now(), pending))
        .catch(onLateFailure)
      return undefined
    })
  }

  /** The refused or unrecordable instance must not stay upstream, usable by nobody and counted by no cap. */
  async function removeUpstream(identity: Identity, name: InstanceName): Promise<void> {
    try {
      await deps.removeInstance(identity, name)
    } catch (error) {
      logger.warn(
        { reason: (error as Error).message, group: name.group, instance: name.instance },
        'consumer instance not deleted upstream; it expires there when idle',
      )
    }
  }

  function checkOwner(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, owner: string) {
    const { group, instance, name: routeName } = ctx.route as RouteMatch & { group: string; instance: string }
    const namespace = instanceNamespace(routeName, req.headers)
    const keys = (namespace ? [namespace] : NAMESPACES).map((ns) => recordKey({ namespace: ns, group, instance }))
    let reads: MaybePromise<string | undefined>[]
    try {
      reads = keys.map((key) => records.read(key, now()))
    } catch (error) {
      throw unavailable(error)
    }
    // The memory store answers at once: no promise on the hot path of every consume.
    if (!reads.some((read) => read instanceof Promise)) return judge(res, owner, routeName, keys, reads as Holders)
    return guarded(() => Promise.all(reads)).then((holders) => judge(res, owner, routeName, keys, holders))
  }

  function judge(res: ServerResponse, owner: string, routeName: string, keys: string[], holders: Holders): void {
    const mine = keys.filter((_, i) => holders[i] === owner)
    // Where the request's namespace is not certain, the caller must hold every namespace that has an owner.
    if (mine.length === 0 || holders.some((holder) => holder !== undefined && holder !== owner)) {
      throw new GatewayError('INSTANCE_NOT_OWNED')
    }
    const owned = ownedKey(owner)
    if (routeName === 'consumer-delete') {
      // With both namespaces the caller's, the upstream deleted one of them: both records stay until they time out.
      if (mine.length === 1) forgetOnSuccess(res, () => later(() => forget(mine[0] as string, owner, owned)))
      return
    }
    // Like the REST proxy's idle timer: uses keep the instance (and its record and place under the cap) alive.
    for (const key of mine) if (refreshes.due(key, now())) later(() => refresh(key, owner, owned))
  }

  async function refresh(key: string, owner: string, owned: string): Promise<void> {
    const lifeMs = ttlMs + refreshes.everyMs
    if (await records.refresh(key, owner, lifeMs, now())) await records.join(owned, key, cap, lifeMs, now())
  }

  async function forget(key: string, owner: string, owned: string): Promise<void> {
    await records.release(key, owner, now())
    await records.leave(owned, key)
  }

  // Synchronous for every other route: only consumer routes pay for a promise.
  return function consumerOwnershipStage(req, res, ctx) {
    const { route, identity } = ctx
    if (!route?.group || !identity) return
    if (config.groupPrefix === 'tenant') checkGroupPrefix(route.group, identity)
    if (!config.ownership) return
    if (route.instance !== undefined) return checkOwner(req, res, ctx, ownerOf(identity))
    if (route.name === 'consumer-create') return reserve(req, res, ctx, route.group)
  }
}

function checkGroupPrefix(group: string, identity: Identity): void {
  if (isTenantGroup(group, identity.tenant)) return
  throw new GatewayError('FORBIDDEN', {
    message:
      identity.tenant === undefined
        ? 'Consumer groups are per tenant, and the token has no tenant'
        : `Consumer group ${quote(group)} is not allowed: this tenant's groups start with ${quote(`${identity.tenant}.`)}`,
  })
}

/**
 * Issuer and subject (the same `sub` from two identity providers is two people), hashed so the store never holds user
 * names or e-mail addresses. The token cache hands out the same Identity object for a repeated token: one hash each.
 */
function createOwnerOf(): (identity: Identity) => string {
  const owners = new WeakMap<Identity, string>()
  return (identity) => {
    let owner = owners.get(identity)
    if (owner === undefined) {
      owner = createHash('sha256').update(`owner\n${identity.issuer}\n${identity.subject}`).digest('base64url')
      owner = owner.slice(0, 22)
      owners.set(identity, owner)
    }
    return owner
  }
}

/**
 * One record per instance the upstream can tell apart: namespace, group, instance. Names are percent-encoded, so no
 * two can collide; `{…}` keeps one Redis Cluster slot per record.
 */
function recordKey({ namespace, group, instance }: InstanceName): string {
  return `owner:{${namespace}/${encodeURIComponent(group)}/${encodeURIComponent(instance)}}`
}

/** The set of one caller's live instances (the cap counts its members). */
function ownedKey(owner: string): string {
  return `owned:{${owner}}`
}

function instanceIdOf(answer: unknown): string | undefined {
  const id =
    typeof answer === 'object' && answer !== null ? (answer as { instance_id?: unknown }).instance_id : undefined
  return typeof id === 'string' && id !== '' ? id : undefined
}

type Holders = readonly (string | undefined)[]

/** Records a replica refreshed at most this many at a time; past that it forgets them all (a few extra refreshes). */
const MAX_SCHEDULED = 10_000

/**
 * A record is refreshed at most once per tenth of its lifetime per replica, not on every use: with Redis, two writes per
 * consume were two round trips per request. Each refresh adds that tenth to the lifetime, so a record still lives at
 * least `ttlMs` after its last use (and at most a tenth longer).
 */
function createRefreshSchedule(ttlMs: number) {
  const everyMs = Math.ceil(ttlMs / 10)
  const last = new Map<string, number>()
  return {
    everyMs,
    due(key: string, now: number): boolean {
      const at = last.get(key)
      if (at !== undefined && now - at < everyMs) return false
      if (last.size >= MAX_SCHEDULED) last.clear()
      last.set(key, now)
      return true
    },
  }
}

async function guarded<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    throw unavailable(error)
  }
}

function forgetOnSuccess(res: ServerResponse, forget: () => void): void {
  res.once('finish', () => {
    if (res.statusCode < 300) forget()
  })
}

/** Fail closed: without the record nobody can tell the owner from anyone else. */
function unavailable(error: unknown): GatewayError {
  return new GatewayError('OWNERSHIP_UNAVAILABLE', { headers: { 'Retry-After': '1' }, cause: error })
}
