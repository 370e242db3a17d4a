// v1/v2 produce routes: POST /topics/{t} and POST /topics/{t}/partitions/{p}.
import {
  contentType,
  type Handler,
  header,
  jsonBody,
  ok,
  param,
  type RequestContext,
  toInt,
} from './handler-context.js'
import { classifyProduceMedia, responseMedia } from './media-types.js'
import { type ProduceRecord, type ProduceRoute, parseProduceRequest } from './produce-request.js'
import { errors } from './rest-error.js'
import type { TopicStore } from './topic-store.js'

export interface PartitionOffset {
  partition: number
  offset: number | null
  error_code: number | null
  error: string | null
}

export const produceToTopic: Handler = (ctx) => produce(ctx, 'topic')
export const produceToPartition: Handler = (ctx) => produce(ctx, 'partition')

function produce(ctx: RequestContext, route: ProduceRoute) {
  const media = classifyProduceMedia(contentType(ctx), route)
  if (!media) throw errors.unsupportedMedia()
  const topic = param(ctx, 'topic')
  const routePartition = route === 'partition' ? toInt(param(ctx, 'partition')) : undefined
  const request = parseProduceRequest(jsonBody(ctx), media.format, route, ctx.state.schemas)
  const { store } = ctx.state
  store.ensure(topic)
  if (routePartition !== undefined && !store.hasPartition(topic, routePartition)) throw errors.partitionNotFound()
  const offsets = request.records.map((record) =>
    appendRecord(store, topic, routePartition ?? record.partition, record),
  )
  const body = { key_schema_id: request.keySchemaId, value_schema_id: request.valueSchemaId, offsets }
  return ok(body, responseMedia(header(ctx, 'accept'), media.version))
}

/** Appends one record; a partition outside the topic is a per-record Kafka error, as the producer reports it. */
export function appendRecord(
  store: TopicStore,
  topic: string,
  partition: number | undefined,
  record: Pick<ProduceRecord, 'key' | 'value'>,
): PartitionOffset {
  const target = partition ?? store.choosePartition(topic, record.key)
  if (!store.hasPartition(topic, target)) {
    const range = `[0...${store.partitionCount(topic) ?? 0})`
    const error = `Invalid partition given with record: ${target} is not in the range ${range}.`
    return { partition: target, offset: null, error_code: 50002, error }
  }
  const offset = store.append(topic, target, record.key, record.value)
  return { partition: target, offset, error_code: null, error: null }
}
