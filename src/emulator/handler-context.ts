// What a route handler receives and returns, plus small helpers to read params, query and JSON bodies.
import type { IncomingMessage } from 'node:http'
import type { ConsumerRegistry } from './consumer-instances.js'
import { mediaEssence } from './media-types.js'
import { errors } from './rest-error.js'
import type { SchemaIds } from './schema-ids.js'
import type { TopicStore } from './topic-store.js'

/** All mutable state of one emulator instance. */
export interface EmulatorState {
  store: TopicStore
  consumers: ConsumerRegistry
  schemas: SchemaIds
  maxWaitMs: number
}

export interface RequestContext {
  req: IncomingMessage
  params: Record<string, string>
  query: URLSearchParams
  body: Buffer
  state: EmulatorState
  /** Aborted when the emulator closes or the client goes away: ends long polls. */
  signal: AbortSignal
}

/** `body === undefined` sends no body and no Content-Type (204, Jersey's 406). */
export interface Reply {
  status: number
  body?: unknown
  contentType?: string
}

export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>

export const ok = (body: unknown, contentType: string): Reply => ({ status: 200, body, contentType })
export const noContent = (): Reply => ({ status: 204 })

export function header(ctx: RequestContext, name: string): string | undefined {
  const value = ctx.req.headers[name]
  return Array.isArray(value) ? value.join(', ') : value
}

export function contentType(ctx: RequestContext): string {
  return mediaEssence(ctx.req.headers['content-type'])
}

export function param(ctx: RequestContext, name: string): string {
  const value = ctx.params[name]
  if (value === undefined) throw new Error(`Route has no :${name} parameter`)
  return value
}

/** Integer path or query parameter; JAX-RS answers a plain 404 when a parameter does not convert. */
export function toInt(raw: string): number {
  if (!/^-?\d+$/.test(raw.trim())) throw errors.notFound()
  return Number(raw)
}

export function queryInt(ctx: RequestContext, name: string): number | undefined {
  const raw = ctx.query.get(name)
  return raw === null ? undefined : toInt(raw)
}

/** Parsed JSON body; undefined for an empty body. */
export function jsonBody(ctx: RequestContext): unknown {
  const text = ctx.body.toString('utf8')
  if (text.trim() === '') return undefined
  try {
    return JSON.parse(text)
  } catch (err) {
    throw errors.badJson(err instanceof Error ? err.message : String(err))
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Optional JSON object body: undefined when empty or `null`; 422 for any other non-object. */
export function optionalObjectBody(ctx: RequestContext): Record<string, unknown> | undefined {
  const body = jsonBody(ctx)
  if (body === undefined || body === null) return undefined
  if (!isObject(body)) throw errors.unprocessable('Request body must be a JSON object')
  return body
}
