// v3 routes: GET /v3/clusters and POST /v3/clusters/{c}/topics/{t}/records (one record per request).
import { contentType, type Handler, isObject, jsonBody, ok, param, type RequestContext } from './handler-context.js'
import { MEDIA } from './media-types.js'
import { appendRecord } from './produce-handlers.js'
import { decodeBase64Field, encodeJsonField } from './record-codec.js'
import { errors } from './rest-error.js'

export const CLUSTER_ID = 'emulator'

interface V3Data {
  type: string
  bytes: Buffer | null
}

export const listClusters: Handler = () => ok({ data: [{ cluster_id: CLUSTER_ID }] }, MEDIA.J)

export const produceV3: Handler = (ctx) => {
  if (contentType(ctx) !== '' && contentType(ctx) !== MEDIA.J) throw errors.unsupportedMedia()
  const body = jsonBody(ctx)
  if (!isObject(body)) throw errors.badRequest('Payload error. Request body is empty or not a JSON object.')
  const topic = param(ctx, 'topic')
  const key = parseData(body.key, 'key')
  const value = parseData(body.value, 'value')
  ctx.state.store.ensure(topic)
  const result = appendRecord(ctx.state.store, topic, partitionId(body.partition_id), {
    key: key?.bytes ?? null,
    value: value?.bytes ?? null,
  })
  if (result.offset === null) throw errors.partitionNotFound()
  return ok(produceResponse(ctx, topic, result.partition, result.offset, key, value), MEDIA.J)
}

function produceResponse(
  ctx: RequestContext,
  topic: string,
  partition: number,
  offset: number,
  key: V3Data | undefined,
  value: V3Data | undefined,
) {
  return {
    error_code: 200,
    cluster_id: param(ctx, 'cluster'),
    topic_name: topic,
    partition_id: partition,
    offset,
    timestamp: new Date().toISOString(),
    key: summary(key),
    value: summary(value),
  }
}

const summary = (data: V3Data | undefined) => (data ? { type: data.type, size: data.bytes?.length ?? 0 } : null)

function partitionId(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isInteger(value)) throw errors.badRequest('partition_id must be an integer')
  return value
}

/** `{type, data}`: BINARY data is base64, STRING is text, every other type is embedded JSON. */
function parseData(value: unknown, field: string): V3Data | undefined {
  if (value === undefined || value === null) return undefined
  if (!isObject(value)) throw errors.badRequest(`${field} must be an object`)
  const type = typeof value.type === 'string' ? value.type.toUpperCase() : 'JSON'
  return { type, bytes: encodeData(type, value.data, field) }
}

function encodeData(type: string, data: unknown, field: string): Buffer | null {
  if (type === 'BINARY') {
    try {
      return decodeBase64Field(data)
    } catch {
      throw errors.badRequest(`${field}.data is not valid base64`)
    }
  }
  if (type === 'STRING') return data === undefined || data === null ? null : Buffer.from(String(data), 'utf8')
  return encodeJsonField(data)
}
