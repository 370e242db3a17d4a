// v1 (old high-level consumer) instance routes: read a topic (subscribing on first read) and commit.
import {
  findInstance,
  type InstanceHandler,
  maxBytes,
  readWaitMs,
  requireFormat,
  wireRecords,
} from './consumer-common.js'
import { commitPositions, initPositions, pollRecords, subscribedTopics } from './consumer-fetch.js'
import { type ConsumerInstance, keyToPartition } from './consumer-instances.js'
import { type Handler, header, ok, param, queryInt, type RequestContext } from './handler-context.js'
import { negotiate, responseMedia, V1_READ_MEDIA } from './media-types.js'
import { errors } from './rest-error.js'

/** GET …/instances/{i}/topics/{t}: Accept picks the format; the first read subscribes to the topic. */
export const readTopicV1: Handler = async (ctx) => {
  const media = negotiate(header(ctx, 'accept'), V1_READ_MEDIA)
  if (!media) throw errors.notAcceptable()
  const instance = findInstance(ctx, 'v1')
  requireFormat(instance, media.value)
  const topic = param(ctx, 'topic')
  if (ctx.state.store.partitionCount(topic) === undefined) throw errors.topicNotFound()
  subscribeOnFirstRead(ctx, instance, topic)
  const fetched = await pollRecords(instance, ctx.state, {
    maxBytes: maxBytes(queryInt(ctx, 'max_bytes')),
    waitMs: readWaitMs(ctx, instance),
    signal: ctx.signal,
  })
  return ok(wireRecords(fetched, media.value), media.type)
}

function subscribeOnFirstRead(ctx: RequestContext, instance: ConsumerInstance, topic: string): void {
  if (!instance.subscription) {
    instance.subscription = { kind: 'topics', topics: [topic] }
    initPositions(instance, ctx.state)
  } else if (!subscribedTopics(instance, ctx.state.store).includes(topic)) {
    throw errors.alreadySubscribed()
  }
}

/** Body-less POST …/offsets: commits what was consumed and lists it as {topic, partition, consumed, committed}. */
export const commitV1: InstanceHandler = (ctx, instance) => {
  commitPositions(instance, ctx.state)
  const body = [...instance.consumed].map(([key, offset]) => ({
    ...keyToPartition(key),
    consumed: offset,
    committed: offset,
  }))
  return ok(body, responseMedia(header(ctx, 'accept'), 'v1'))
}
