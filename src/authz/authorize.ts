// The authorize stage: what the route table's access rule says, for every route; a route outside the table is refused.
import type { IncomingMessage } from 'node:http'
import type { Identity } from '../auth/identity.js'
import { bearerChallenge } from '../auth/www-authenticate.js'
import type { Config } from '../config/schema.js'
import { GatewayError } from '../errors/gateway-error.js'
import { readJsonBody } from '../policy/json-body.js'
import { isLegalTopic } from '../policy/kafka-names.js'
import { quote } from '../policy/quote.js'
import type { Access, TopicNeed } from '../policy/routes.js'
import type { RequestContext, Stage } from '../request-context.js'
import { bodyTopics } from './body-topics.js'
import { groupTest } from './group-access.js'
import { listFilter } from './list-filter.js'
import { createPermissions, type Permission } from './permissions.js'

/** Undefined when topic permissions are off: the stage is then not in the pipeline at all. */
export function authorize(config: Config): Stage | undefined {
  const authz = config.authz
  if (!authz.enabled) return undefined
  const permissionOf = createPermissions(authz)
  const challenge = bearerChallenge(config.auth.realm, 'insufficient_scope')
  const scopePrefix = authz.scopePrefix
  const maxBody = config.policy.maxJsonBody
  const groupPrefix = authz.consumers.groupPrefix

  /** 403 with a Bearer `insufficient_scope` challenge naming the scope that would allow it (legal names only). */
  function forbidden(message: string, scope?: { action: string; topic: string }): GatewayError {
    const named = scope && scopePrefix && (scope.topic === '*' || isLegalTopic(scope.topic))
    const param = named ? `, scope="${scopePrefix}:${scope.action}:${scope.topic}"` : ''
    return new GatewayError('FORBIDDEN', { message, headers: { 'WWW-Authenticate': `${challenge}${param}` } })
  }

  function checkTopic(need: TopicNeed, topic: string, permission: Permission): void {
    if (need === 'see' || need === 'describe') {
      if (!authz.hideTopics || permission.see(topic)) return
      if (need === 'see') throw new GatewayError('TOPIC_HIDDEN')
      throw forbidden(`Not allowed to see topic ${quote(topic)}`)
    }
    if (permission[need](topic)) return
    const verb = need === 'produce' ? 'produce to' : need === 'consume' ? 'consume from' : 'administer'
    throw forbidden(`Not allowed to ${verb} topic ${quote(topic)}`, { action: need, topic })
  }

  async function checkBody(
    req: IncomingMessage,
    ctx: RequestContext,
    body: NonNullable<Access['body']>,
    permission: Permission,
  ) {
    const { raw, value } = await readJsonBody(req, maxBody)
    ctx.body = raw
    const { topics, pattern } = bodyTopics(body.fields, value)
    ctx.topics = topics
    if (pattern && !permission.consumeAll) {
      throw forbidden('Not allowed to consume from every topic (topic_pattern)', { action: 'consume', topic: '*' })
    }
    for (const topic of topics) checkTopic(body.need, topic, permission)
  }

  return function authorizeStage(req, _res, ctx) {
    const { route, identity } = ctx
    if (!route || !identity) return
    const access = route.access
    // Fail closed: a route the table does not know may name any topic, group or ACL, in a way nobody checked.
    if (!access) throw unknownRoute(req.method ?? 'GET', ctx.path ?? [])
    const permission = permissionOf(identity)
    if (access.cluster && !permission.adminAll) {
      throw forbidden('Not allowed: ACLs and broker or cluster configuration need admin of every topic', {
        action: 'admin',
        topic: '*',
      })
    }
    // Built only on the routes that need it: most requests name no v3 group.
    const mayUseGroup = access.group || access.list === 'groups' ? groupTest(groupPrefix, identity, permission) : none
    if (access.group && route.group !== undefined && !mayUseGroup(route.group)) {
      throw groupForbidden(route.group, groupPrefix, identity)
    }
    if (access.topic && route.topic !== undefined) checkTopic(access.topic, route.topic, permission)
    if (access.list && (access.list === 'groups' || authz.filterTopicList)) {
      ctx.answerSteps ??= []
      ctx.answerSteps.push(listFilter(access.list, permission.see, mayUseGroup))
    }
    if (access.body) return checkBody(req, ctx, access.body, permission)
  }
}

const none = () => false

function groupForbidden(group: string, groupPrefix: 'none' | 'tenant', identity: Identity): GatewayError {
  const why =
    groupPrefix !== 'tenant'
      ? 'groups belong to no caller (authz.consumers.groupPrefix is none), so only an admin of every topic may read them'
      : identity.tenant
        ? `this tenant's groups start with ${quote(`${identity.tenant}.`)}`
        : 'the token has no tenant'
  return new GatewayError('FORBIDDEN', { message: `Not allowed to read consumer group ${quote(group)}: ${why}` })
}

function unknownRoute(method: string, segments: readonly string[]): GatewayError {
  return new GatewayError('ROUTE_UNKNOWN', {
    message: `Refused ${quote(`${method} /${segments.join('/')}`)}: it is not in the gateway's route table, so the topics, groups or ACLs it names cannot be checked (topic permissions are on)`,
  })
}
