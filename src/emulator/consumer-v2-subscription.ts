// v2 instance routes that choose what to read: …/subscription (topics or pattern) and …/assignments.
import { type InstanceHandler, requireJsonMedia } from './consumer-common.js'
import { assignedPartitions, setSubscription, subscribedTopics } from './consumer-fetch.js'
import type { ConsumerInstance, Subscription } from './consumer-instances.js'
import { header, noContent, ok, optionalObjectBody } from './handler-context.js'
import { responseMedia } from './media-types.js'
import { errors } from './rest-error.js'
import { parsePartitionList } from './topic-partition-body.js'

export const subscribe: InstanceHandler = (ctx, instance) => {
  requireJsonMedia(ctx)
  const body = optionalObjectBody(ctx) ?? {}
  const next = parseSubscription(body)
  if (next === 'unchanged') return noContent()
  if (next) requireSameKind(instance, next.kind)
  setSubscription(instance, next, ctx.state)
  return noContent()
}

export const getSubscription: InstanceHandler = (ctx, instance) => {
  const topics = instance.subscription?.kind === 'assignment' ? [] : subscribedTopics(instance, ctx.state.store)
  return ok({ topics }, responseMedia(header(ctx, 'accept'), 'v2'))
}

export const unsubscribe: InstanceHandler = (ctx, instance) => {
  setSubscription(instance, undefined, ctx.state)
  return noContent()
}

export const assign: InstanceHandler = (ctx, instance) => {
  requireJsonMedia(ctx)
  const partitions = parsePartitionList(optionalObjectBody(ctx)?.partitions, 'partitions')
  requireSameKind(instance, 'assignment')
  setSubscription(instance, partitions.length > 0 ? { kind: 'assignment', partitions } : undefined, ctx.state)
  return noContent()
}

export const getAssignments: InstanceHandler = (ctx, instance) => {
  const partitions = assignedPartitions(instance, ctx.state.store)
  return ok({ partitions }, responseMedia(header(ctx, 'accept'), 'v2'))
}

/** `topics` wins over `topic_pattern`; an empty list unsubscribes (Kafka semantics); neither changes nothing. */
function parseSubscription(body: Record<string, unknown>): Subscription | undefined | 'unchanged' {
  const { topics, topic_pattern: pattern } = body
  if (topics !== undefined && topics !== null) {
    if (!Array.isArray(topics) || !topics.every((topic) => typeof topic === 'string')) {
      throw errors.unprocessable('Invalid topics')
    }
    return topics.length > 0 ? { kind: 'topics', topics: [...new Set(topics)] } : undefined
  }
  if (pattern === undefined || pattern === null) return 'unchanged'
  if (typeof pattern !== 'string') throw errors.unprocessable('Invalid topic_pattern')
  return { kind: 'pattern', pattern: compilePattern(pattern) }
}

/** Java's Pattern.matcher(topic).matches(): the whole name must match. */
function compilePattern(source: string): RegExp {
  try {
    return new RegExp(`^(?:${source})$`)
  } catch {
    throw errors.unprocessable('Invalid topic_pattern')
  }
}

function requireSameKind(instance: ConsumerInstance, kind: Subscription['kind']): void {
  const current = instance.subscription?.kind
  if (current !== undefined && current !== kind) {
    throw errors.illegalState('Subscription to topics, partitions and pattern are mutually exclusive')
  }
}
