// The authorize stage: topic permissions on topics in paths and in v2 bodies, GET /topics filtering, hidden topics (404).
import type { IncomingMessage } from 'node:http'
import { bearerChallenge } from '../auth/www-authenticate.js'
import type { Config } from '../config/schema.js'
import { GatewayError } from '../errors/gateway-error.js'
import { readJsonBody } from '../policy/json-body.js'
import type { RequestContext, Stage } from '../request-context.js'
import { BODY_TOPIC_ROUTES, bodyTopics } from './body-topics.js'
import { createPermissions, type Permission, type TopicAction } from './permissions.js'
import { KAFKA_TOPIC } from './topic-pattern.js'

/** Undefined when topic permissions are off: the stage is then not in the pipeline at all. */
export function authorize(config: Config): Stage | undefined {
  const authz = config.authz
  if (!authz.enabled) return undefined
  const permissionOf = createPermissions(authz)
  const challenge = bearerChallenge(config.auth.realm, 'insufficient_scope')
  const refuse = (action: TopicAction, topic: string) => forbidden(action, topic, challenge, authz.scopePrefix)
  const maxBody = config.policy.maxJsonBody

  async function checkBody(req: IncomingMessage, ctx: RequestContext, permission: Permission, route: string) {
    const fields = BODY_TOPIC_ROUTES.get(route) as Parameters<typeof bodyTopics>[0]
    const { raw, value } = await readJsonBody(req, maxBody)
    ctx.body = raw
    const { topics, pattern } = bodyTopics(fields, value)
    ctx.topics = topics
    if (pattern && !permission.consumeAll) throw refuse('consume', '*')
    for (const topic of topics) if (!permission.consume(topic)) throw refuse('consume', topic)
  }

  return function authorizeStage(req, _res, ctx) {
    const route = ctx.route
    if (!route || !ctx.identity) return
    const permission = permissionOf(ctx.identity)
    const topic = route.topic
    if (topic === undefined) {
      if (BODY_TOPIC_ROUTES.has(route.name)) return checkBody(req, ctx, permission, route.name)
      if (route.name === 'topics-list' && authz.filterTopicList) {
        ctx.answerSteps ??= []
        ctx.answerSteps.push(visibleTopics(permission))
      }
      return
    }
    if (route.kind === 'produce' || route.kind === 'consume') {
      if (!permission[route.kind](topic)) throw refuse(route.kind, topic)
      return
    }
    if (authz.hideTopics && !permission.see(topic)) throw new GatewayError('TOPIC_HIDDEN')
  }
}

/** GET /topics answer → only the names the caller may see; anything that is not a list of names becomes []. */
function visibleTopics(permission: Permission) {
  return (answer: unknown) =>
    Array.isArray(answer) ? answer.filter((name) => typeof name === 'string' && permission.see(name)) : []
}

/** 403 naming the topic; RFC 6750 §3.1 `insufficient_scope` with the scope that would allow it (legal names only). */
function forbidden(action: TopicAction, topic: string, challenge: string, scopePrefix: string | null) {
  const scope =
    scopePrefix && (topic === '*' || KAFKA_TOPIC.test(topic)) ? `, scope="${scopePrefix}:${action}:${topic}"` : ''
  const what = topic === '*' ? 'every topic (topic_pattern)' : `topic ${JSON.stringify(topic)}`
  return new GatewayError('FORBIDDEN', {
    message: `Not allowed to ${action} ${action === 'produce' ? 'to' : 'from'} ${what}`,
    headers: { 'WWW-Authenticate': `${challenge}${scope}` },
  })
}
