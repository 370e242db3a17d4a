// What the pipeline stages learn about one request and pass to the stages after them.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Transform } from 'node:stream'
import type { Identity } from './auth/identity.js'
import type { RouteMatch } from './policy/route-match.js'

export interface RequestContext {
  readonly requestId: string
  /** process.hrtime.bigint() when the gateway first saw the request. */
  readonly startedAt: bigint
  identity?: Identity
  route?: RouteMatch
  /** The request path's segments, percent-decoded once, as the route policy judged them (no empty segments). */
  path?: readonly string[]
  /** The scheme and host[:port] the client reached the gateway at, as checkHost validated them (host undefined: none). */
  origin?: { proto: 'http' | 'https'; host: string | undefined }
  /** The upstream key the credential swap chose; only its name is ever logged. */
  upstreamKey?: { readonly name: string; readonly value: string }
  /** The request body, when a stage had to read it (small JSON bodies only); forwarded byte-exact instead of the stream. */
  body?: Buffer
  /** How many records a produce body holds, when a stage that read it counted them (v3 produce); for quotas and audit. */
  records?: number
  /** Topics a v2 consumer request names in its body (subscription, assignments, positions, offsets), once read. */
  topics?: readonly string[]
  /**
   * A pass-through stream the proxy pipes the request body through on its way upstream (byte and record quotas, the
   * body size cap). It may destroy the upstream request with a GatewayError, which the proxy's error path answers.
   */
  bodyTransform?: Transform
  /** Why the gateway refused, for logs and metrics: the error code, and its short fixed reason when it has one. */
  refusal?: string
  refusalReason?: string
  /** process.hrtime.bigint() when the request went upstream and when the upstream's response headers came back. */
  upstreamSentAt?: bigint
  upstreamAnsweredAt?: bigint
  /** Body bytes counted on the request and response streams; present only when a stage asked for counting (audit). */
  bytes?: ByteCount
  /**
   * Steps on a small JSON answer that the proxy buffers (decoded from any content encoding), run in the order stages
   * registered them, only on 2xx answers. Register with `(ctx.answerSteps ??= []).push(step)`.
   */
  answerSteps?: AnswerStep[]
}

/**
 * Gets the parsed answer (undefined when it is not JSON) as the previous step left it, and the upstream status; returns
 * the replacement (undefined: unchanged). May be async. A thrown GatewayError is answered instead of the upstream answer.
 */
export type AnswerStep = (answer: unknown, status: number) => unknown

export interface ByteCount {
  request: number
  response: number
  /** Counts the records of a streamed produce body (the rate limiter's RecordCounter fits). */
  records?: { feed(chunk: Buffer): number; readonly count: number }
}

/** A stage either lets the request go on (returns nothing) or has answered it itself (returns HANDLED). */
export const HANDLED = Symbol('handled')
export type StageResult = undefined | typeof HANDLED
export type Stage = (
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RequestContext,
) => StageResult | Promise<StageResult> | void | Promise<void>

/**
 * A context with every field present from the start, in one order: V8 then gives every request's context one shape,
 * and the stages' reads of it stay fast (fields added as they are learnt made a new shape per combination).
 */
export function createContext(requestId: string, startedAt: bigint): RequestContext {
  // `satisfies`: the compiler refuses this literal when a field is added to RequestContext but not listed here.
  return {
    requestId,
    startedAt,
    identity: undefined,
    route: undefined,
    path: undefined,
    origin: undefined,
    upstreamKey: undefined,
    body: undefined,
    records: undefined,
    topics: undefined,
    bodyTransform: undefined,
    refusal: undefined,
    refusalReason: undefined,
    upstreamSentAt: undefined,
    upstreamAnsweredAt: undefined,
    bytes: undefined,
    answerSteps: undefined,
  } satisfies Record<keyof RequestContext, unknown>
}

const CONTEXT = Symbol('gateway.context')
type WithContext = IncomingMessage & { [CONTEXT]?: RequestContext }

export function attachContext(req: IncomingMessage, ctx: RequestContext): void {
  ;(req as WithContext)[CONTEXT] = ctx
}

/** The context the pipeline attached; stages after the first always find one. */
export function contextOf(req: IncomingMessage): RequestContext {
  const ctx = (req as WithContext)[CONTEXT]
  if (!ctx) throw new Error('request has no gateway context')
  return ctx
}
