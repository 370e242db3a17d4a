// v1 simple consumer: GET /topics/{t}/partitions/{p}/messages?offset=&count= (stateless read, no instance).
import { wireRecords } from './consumer-common.js'
import { type Handler, header, ok, param, queryInt, toInt } from './handler-context.js'
import { negotiate, V1_READ_MEDIA } from './media-types.js'
import { errors } from './rest-error.js'

export const readPartitionMessages: Handler = (ctx) => {
  const media = negotiate(header(ctx, 'accept'), V1_READ_MEDIA)
  if (!media) throw errors.notAcceptable()
  const topic = param(ctx, 'topic')
  const partition = toInt(param(ctx, 'partition'))
  const offset = queryInt(ctx, 'offset') ?? 0
  const count = queryInt(ctx, 'count') ?? 1
  const { store } = ctx.state
  if (store.partitionCount(topic) === undefined) throw errors.topicNotFound()
  if (!store.hasPartition(topic, partition)) throw errors.partitionNotFound()
  const records = store.read(topic, partition, offset, Math.max(0, count))
  const fetched = records.map((record) => ({ topic, partition, record }))
  return ok(wireRecords(fetched, media.value), media.type)
}
