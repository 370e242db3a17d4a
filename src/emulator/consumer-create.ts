// POST /consumers/{group}: the Content-Type picks v1 or v2, the optional body picks name, format and offsets policy.
import { randomUUID } from 'node:crypto'
import type { ConsumerConfig } from './consumer-instances.js'
import {
  contentType,
  type Handler,
  header,
  ok,
  optionalObjectBody,
  param,
  type RequestContext,
} from './handler-context.js'
import { type ApiVersion, consumerCreateVersion, type EmbeddedFormat, responseMedia } from './media-types.js'
import { errors } from './rest-error.js'

const FORMATS: Record<ApiVersion, EmbeddedFormat[]> = {
  v1: ['binary', 'avro', 'json'],
  v2: ['binary', 'avro', 'json', 'jsonschema', 'protobuf'],
}

const OFFSET_RESET: Record<string, ConsumerConfig['autoOffsetReset']> = {
  earliest: 'earliest',
  smallest: 'earliest',
  latest: 'latest',
  largest: 'latest',
}

export const createConsumer: Handler = (ctx) => {
  const version = consumerCreateVersion(contentType(ctx))
  if (!version) throw errors.unsupportedMedia()
  const group = param(ctx, 'group')
  const body = optionalObjectBody(ctx) ?? {}
  const config = parseConfig(body, version)
  const id = instanceName(body)
  ctx.state.consumers.create(version, group, id, config)
  return ok({ instance_id: id, base_uri: baseUri(ctx, group, id) }, responseMedia(header(ctx, 'accept'), version))
}

function parseConfig(body: Record<string, unknown>, version: ApiVersion): ConsumerConfig {
  return {
    format: parseFormat(body.format, version),
    autoOffsetReset: parseOffsetReset(body['auto.offset.reset']),
    autoCommit: parseBoolean(body['auto.commit.enable'], 'auto.commit.enable') ?? true,
    requestTimeoutMs: parseMillis(body['consumer.request.timeout.ms']),
  }
}

function parseFormat(value: unknown, version: ApiVersion): EmbeddedFormat {
  if (value === undefined || value === null) return 'binary'
  const format = FORMATS[version].find((known) => typeof value === 'string' && known === value.toLowerCase())
  if (!format) throw errors.unprocessable('Invalid format type.')
  return format
}

function parseOffsetReset(value: unknown): ConsumerConfig['autoOffsetReset'] {
  if (value === undefined || value === null) return 'latest'
  const reset = typeof value === 'string' ? OFFSET_RESET[value.toLowerCase()] : undefined
  if (!reset) throw errors.invalidConsumerConfig(`auto.offset.reset has an invalid value ${JSON.stringify(value)}`)
  return reset
}

function parseBoolean(value: unknown, name: string): boolean | undefined {
  if (value === undefined || value === null) return undefined
  const text = String(value).toLowerCase()
  if (text !== 'true' && text !== 'false') throw errors.invalidConsumerConfig(`${name} must be true or false`)
  return text === 'true'
}

function parseMillis(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined
  const ms = Number(value)
  if (!Number.isInteger(ms) || ms < 0) throw errors.invalidConsumerConfig('consumer.request.timeout.ms is invalid')
  return ms
}

/** The deprecated `id` wins over `name`; without either the proxy makes up `rest-consumer-<uuid>`. */
function instanceName(body: Record<string, unknown>): string {
  for (const field of ['id', 'name']) {
    const value = body[field]
    if (typeof value === 'string' && value !== '') return value
  }
  return `rest-consumer-${randomUUID()}`
}

/** Built from the request's Host header, like the proxy's absolute request URI. */
function baseUri(ctx: RequestContext, group: string, id: string): string {
  const local = ctx.req.socket
  const host = header(ctx, 'host') ?? `${local.localAddress}:${local.localPort}`
  return `http://${host}/consumers/${encodeURIComponent(group)}/instances/${encodeURIComponent(id)}`
}
