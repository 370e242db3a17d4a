// v3 topics: GET and POST /v3/clusters/{c}/topics, GET /v3/clusters/{c}/topics/{t}, in the v3 resource shape.
import { type Handler, isObject, jsonBody, ok, param, type RequestContext } from './handler-context.js'
import { MEDIA } from './media-types.js'
import { errors } from './rest-error.js'

function topicData(ctx: RequestContext, topic: string, partitions: number) {
  const cluster = param(ctx, 'cluster')
  const self = `/v3/clusters/${cluster}/topics/${topic}`
  return {
    kind: 'KafkaTopic',
    metadata: { self, resource_name: `crn:///kafka=${cluster}/topic=${topic}` },
    cluster_id: cluster,
    topic_name: topic,
    is_internal: false,
    replication_factor: 1,
    partitions_count: partitions,
    partitions: { related: `${self}/partitions` },
    configs: { related: `${self}/configs` },
  }
}

export const listTopicsV3: Handler = (ctx) => {
  const store = ctx.state.store
  const data = store.names().map((topic) => topicData(ctx, topic, store.partitionCount(topic) ?? 0))
  return ok(
    { kind: 'KafkaTopicList', metadata: { self: `/v3/clusters/${param(ctx, 'cluster')}/topics` }, data },
    MEDIA.J,
  )
}

export const getTopicV3: Handler = (ctx) => {
  const topic = param(ctx, 'topic')
  const count = ctx.state.store.partitionCount(topic)
  if (count === undefined) throw errors.notFound()
  return ok(topicData(ctx, topic, count), MEDIA.J)
}

/** Creates the topic (one partition, whatever `partitions_count` says); 201 like the proxy. */
export const createTopicV3: Handler = (ctx) => {
  const body = jsonBody(ctx)
  if (!isObject(body) || typeof body.topic_name !== 'string') throw errors.badRequest('topic_name is required')
  const count = ctx.state.store.ensure(body.topic_name)
  return { ...ok(topicData(ctx, body.topic_name, count), MEDIA.J), status: 201 }
}
