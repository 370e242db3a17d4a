// The authorize stage: topic permissions on the topic in the path, GET /topics filtering and hidden topics (404).
import { bearerChallenge } from '../auth/www-authenticate.js'
import type { Config } from '../config/schema.js'
import { GatewayError } from '../errors/gateway-error.js'
import type { Stage } from '../request-context.js'
import { createPermissions, type Permission, type TopicAction } from './permissions.js'
import { KAFKA_TOPIC } from './topic-pattern.js'
import { answerNotFound } from './upstream-lookalike.js'

/** Undefined when topic permissions are off: the stage is then not in the pipeline at all. */
export function authorize(config: Config['authz'], realm: string): Stage | undefined {
  if (!config.enabled) return undefined
  const permissionOf = createPermissions(config)
  const challenge = bearerChallenge(realm, 'insufficient_scope')
  const refuse = (action: TopicAction, topic: string) => forbidden(action, topic, challenge, config.scopePrefix)

  return function authorizeStage(_req, res, ctx) {
    const route = ctx.route
    if (!route || !ctx.identity) return
    const permission = permissionOf(ctx.identity)
    const topic = route.topic
    if (topic === undefined) {
      if (route.name === 'topics-list' && config.filterTopicList) ctx.rewriteAnswer = visibleTopics(permission)
      return
    }
    if (route.kind === 'produce' || route.kind === 'consume') {
      if (!permission[route.kind](topic)) throw refuse(route.kind, topic)
      return
    }
    if (config.hideTopics && !permission.see(topic)) return answerNotFound(res, ctx, 'TOPIC_HIDDEN')
  }
}

/** GET /topics answer → only the names the caller may see; anything that is not a list of names becomes []. */
function visibleTopics(permission: Permission) {
  return (answer: unknown) =>
    Array.isArray(answer) ? answer.filter((name) => typeof name === 'string' && permission.see(name)) : []
}

/** 403 naming the topic; RFC 6750 §3.1 `insufficient_scope` with the scope that would allow it (legal names only). */
export function forbidden(action: TopicAction, topic: string, challenge: string, scopePrefix: string | null) {
  const scope = scopePrefix && KAFKA_TOPIC.test(topic) ? `, scope="${scopePrefix}:${action}:${topic}"` : ''
  return new GatewayError('FORBIDDEN', {
    message: `Not allowed to ${action} ${action === 'produce' ? 'to' : 'from'} topic ${JSON.stringify(topic)}`,
    headers: { 'WWW-Authenticate': `${challenge}${scope}` },
  })
}
