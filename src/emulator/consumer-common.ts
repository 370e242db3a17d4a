// Shared pieces of the consumer-instance routes: instance lookup by version, media checks, wire records.

import type { FetchedRecord } from './consumer-fetch.js'
import type { ConsumerInstance } from './consumer-instances.js'
import {
  contentType,
  type Handler,
  header,
  noContent,
  param,
  type Reply,
  type RequestContext,
} from './handler-context.js'
import { type ApiVersion, type EmbeddedFormat, explicitVersion, isJsonRequestMedia } from './media-types.js'
import { encodeForRead } from './record-codec.js'
import { errors } from './rest-error.js'

export type InstanceHandler = (ctx: RequestContext, instance: ConsumerInstance) => Reply | Promise<Reply>

const DEFAULT_REQUEST_TIMEOUT_MS = 1000
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024

/**
 * The instance named by the path. Shared routes (DELETE instance, POST offsets) look in the map of the version
 * that Content-Type or Accept names, or in both maps (v1 first) when the headers name no version.
 */
export function findInstance(ctx: RequestContext, only?: ApiVersion): ConsumerInstance {
  const hinted = only ?? explicitVersion(contentType(ctx), header(ctx, 'accept'))
  const versions: ApiVersion[] = hinted ? [hinted] : ['v1', 'v2']
  return ctx.state.consumers.find(versions, param(ctx, 'group'), param(ctx, 'instance'))
}

/** A route served by one API version's consumer resource. */
export const forVersion =
  (version: ApiVersion, handler: InstanceHandler): Handler =>
  (ctx) =>
    handler(ctx, findInstance(ctx, version))

/** A path both resources serve: the instance found decides which handler answers. */
export const byInstanceVersion =
  (handlers: Record<ApiVersion, InstanceHandler>): Handler =>
  (ctx) => {
    const instance = findInstance(ctx)
    return handlers[instance.version](ctx, instance)
  }

export const deleteInstance: InstanceHandler = (ctx, instance) => {
  ctx.state.consumers.delete(instance)
  return noContent()
}

export function requireJsonMedia(ctx: RequestContext): void {
  if (!isJsonRequestMedia(contentType(ctx))) throw errors.unsupportedMedia()
}

export function requireFormat(instance: ConsumerInstance, format: EmbeddedFormat): void {
  if (instance.config.format !== format) throw errors.formatMismatch()
}

/** Server-side wait of a read: the request's timeout, else the instance's, else 1 s; never above maxWaitMs. */
export function readWaitMs(ctx: RequestContext, instance: ConsumerInstance, requested?: number): number {
  const wanted = requested !== undefined && requested >= 0 ? requested : instance.config.requestTimeoutMs
  return Math.min(wanted ?? DEFAULT_REQUEST_TIMEOUT_MS, ctx.state.maxWaitMs)
}

export function maxBytes(requested: number | undefined): number {
  return Math.min(requested ?? MAX_RESPONSE_BYTES, MAX_RESPONSE_BYTES)
}

export function wireRecords(fetched: FetchedRecord[], format: EmbeddedFormat) {
  return fetched.map(({ topic, partition, record }) => ({
    topic,
    key: encodeForRead(record.key, format),
    value: encodeForRead(record.value, format),
    partition,
    offset: record.offset,
  }))
}
