// v2 instance routes that move and read: …/positions[/beginning|/end], …/offsets (commit, committed), …/records.
import {
  findInstance,
  type InstanceHandler,
  maxBytes,
  readWaitMs,
  requireFormat,
  requireJsonMedia,
  wireRecords,
} from './consumer-common.js'
import { commitPositions, pollRecords } from './consumer-fetch.js'
import { partitionKey } from './consumer-instances.js'
import { type Handler, header, noContent, ok, optionalObjectBody, queryInt } from './handler-context.js'
import { negotiate, responseMedia, V2_READ_MEDIA } from './media-types.js'
import { errors } from './rest-error.js'
import { parseOffsetList, parsePartitionList } from './topic-partition-body.js'
import type { TopicStore } from './topic-store.js'

export const seek: InstanceHandler = (ctx, instance) => {
  requireJsonMedia(ctx)
  for (const { offset, ...tp } of parseOffsetList(optionalObjectBody(ctx)?.offsets, 'offsets')) {
    instance.positions.set(partitionKey(tp), offset)
  }
  return noContent()
}

const seekTo =
  (where: (store: TopicStore, topic: string, partition: number) => number): InstanceHandler =>
  (ctx, instance) => {
    requireJsonMedia(ctx)
    for (const tp of parsePartitionList(optionalObjectBody(ctx)?.partitions, 'partitions')) {
      instance.positions.set(partitionKey(tp), where(ctx.state.store, tp.topic, tp.partition))
    }
    return noContent()
  }

export const seekToBeginning = seekTo(() => 0)
export const seekToEnd = seekTo((store, topic, partition) => store.endOffset(topic, partition))

/** Commits `offset + 1` for each listed offset, or every current position without a list; always answers []. */
export const commitV2: InstanceHandler = (ctx, instance) => {
  requireJsonMedia(ctx)
  const offsets = optionalObjectBody(ctx)?.offsets
  if (Array.isArray(offsets) && offsets.length > 0) {
    for (const { offset, ...tp } of parseOffsetList(offsets, 'offsets'))
      ctx.state.consumers.commit(instance, tp, offset + 1)
  } else {
    commitPositions(instance, ctx.state)
  }
  return ok([], responseMedia(header(ctx, 'accept'), 'v2'))
}

/** GET …/offsets carries its partitions in a body; without one the proxy answers 404/40402. */
export const committedOffsets: InstanceHandler = (ctx, instance) => {
  const body = optionalObjectBody(ctx)
  if (!body) throw errors.partitionNotFound()
  const offsets = parsePartitionList(body.partitions, 'partitions').flatMap((tp) => {
    const offset = ctx.state.consumers.committedOffset(instance, tp)
    return offset === undefined ? [] : [{ ...tp, offset, metadata: '' }]
  })
  return ok({ offsets }, responseMedia(header(ctx, 'accept'), 'v2'))
}

/** GET …/records: long-polls up to min(timeout ?? 1000, maxWaitMs) when nothing is there yet. */
export const readRecords: Handler = async (ctx) => {
  const media = negotiate(header(ctx, 'accept'), V2_READ_MEDIA)
  if (!media) throw errors.notAcceptable()
  const instance = findInstance(ctx, 'v2')
  requireFormat(instance, media.value)
  if (!instance.subscription) {
    throw errors.kafkaError('Consumer is not subscribed to any topics or assigned any partitions')
  }
  const fetched = await pollRecords(instance, ctx.state, {
    maxBytes: maxBytes(queryInt(ctx, 'max_bytes')),
    waitMs: readWaitMs(ctx, instance, queryInt(ctx, 'timeout')),
    signal: ctx.signal,
  })
  return ok(wireRecords(fetched, media.value), media.type)
}
