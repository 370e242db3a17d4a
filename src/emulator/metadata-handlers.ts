// Metadata routes: GET|POST /, GET /topics[/{t}[/partitions[/{p}[/offsets]]]], GET /brokers (one broker, id 0).
import { type Handler, header, ok, param, type RequestContext, toInt } from './handler-context.js'
import { responseMedia } from './media-types.js'
import { errors } from './rest-error.js'

const BROKER_ID = 0

const reply = (ctx: RequestContext, body: unknown) => ok(body, responseMedia(header(ctx, 'accept'), 'any'))

const partitionInfo = (partition: number) => ({
  partition,
  leader: BROKER_ID,
  replicas: [{ broker: BROKER_ID, leader: true, in_sync: true }],
})

function existingTopic(ctx: RequestContext): { topic: string; count: number } {
  const topic = param(ctx, 'topic')
  const count = ctx.state.store.partitionCount(topic)
  if (count === undefined) throw errors.topicNotFound()
  return { topic, count }
}

function existingPartition(ctx: RequestContext): { topic: string; partition: number } {
  const partition = toInt(param(ctx, 'partition'))
  const { topic } = existingTopic(ctx)
  if (!ctx.state.store.hasPartition(topic, partition)) throw errors.partitionNotFound()
  return { topic, partition }
}

const partitionList = (count: number) => Array.from({ length: count }, (_, partition) => partitionInfo(partition))

export const root: Handler = (ctx) => reply(ctx, {})

export const listBrokers: Handler = (ctx) => reply(ctx, { brokers: [BROKER_ID] })

export const listTopics: Handler = (ctx) => reply(ctx, ctx.state.store.names())

export const getTopic: Handler = (ctx) => {
  const { topic, count } = existingTopic(ctx)
  return reply(ctx, { name: topic, configs: {}, partitions: partitionList(count) })
}

export const listPartitions: Handler = (ctx) => reply(ctx, partitionList(existingTopic(ctx).count))

export const getPartition: Handler = (ctx) => reply(ctx, partitionInfo(existingPartition(ctx).partition))

export const getPartitionOffsets: Handler = (ctx) => {
  const { topic, partition } = existingPartition(ctx)
  return reply(ctx, { beginning_offset: 0, end_offset: ctx.state.store.endOffset(topic, partition) })
}
