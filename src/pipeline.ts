// Runs the ordered stages for one request, then the terminal handler; every thrown error becomes one Kafka-style answer.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { GatewayError } from './errors/gateway-error.js'
import { sendError, toGatewayError } from './errors/send-error.js'
import { requestIdOf } from './observability/request-id.js'
import { type StageTimes, stageName, timed } from './observability/stage-timing.js'
import { attachContext, contextOf, createContext, HANDLED, type RequestContext, type Stage } from './request-context.js'

export type Handler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void

export interface PipelineHooks {
  /** Runs once the context exists, before any stage. */
  onStart?(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): void
  /** Called for every refusal or failure, before the answer is written. */
  onError(error: GatewayError, req: IncomingMessage, ctx: RequestContext): void
  /** The benchmark's stage-cost mode: every stage and the terminal are timed into this (left out otherwise). */
  times?: StageTimes
}

export interface Pipeline {
  handler: Handler
}

/** Answers a request with an error: for failures that happen after the stages ran (in the proxy). */
export type Fail = (error: unknown, req: IncomingMessage, res: ServerResponse) => void

export function createPipeline(
  stages: readonly Stage[],
  /** Runs after the last stage; `fail` answers a failure that happens later (the proxy's). */
  terminal: (req: IncomingMessage, res: ServerResponse, ctx: RequestContext, fail: Fail) => void,
  hooks: PipelineHooks,
): Pipeline {
  const times = hooks.times
  if (times) {
    stages = stages.map((stage, i) => timed(stageName(stage, i), stage, times))
    terminal = timed('forward (upstream request sent)', terminal, times)
  }

  /**
   * Runs the stages from `first` on, synchronously while they are (no promise per request on the usual path), and
   * resumes after a stage that returns a promise once it settles. Any throw or rejection becomes the error answer.
   */
  function runFrom(first: number, req: IncomingMessage, res: ServerResponse, ctx: RequestContext): void {
    try {
      for (let i = first; i < stages.length; i++) {
        const result = (stages[i] as Stage)(req, res, ctx)
        if (result instanceof Promise) {
          result.then(
            (settled) => settled !== HANDLED && runFrom(i + 1, req, res, ctx),
            (error: unknown) => fail(error, req, res, ctx),
          )
          return
        }
        if (result === HANDLED) return
      }
      terminal(req, res, ctx, fail)
    } catch (error) {
      fail(error, req, res, ctx)
    }
  }

  function fail(error: unknown, req: IncomingMessage, res: ServerResponse, ctx = contextOf(req)): void {
    const gatewayError = toGatewayError(error)
    ctx.refusal = gatewayError.code
    ctx.refusalReason = gatewayError.reason
    hooks.onError(gatewayError, req, ctx)
    sendError(res, gatewayError, ctx.requestId)
  }

  const handler: Handler = function gatewayHandler(req, res) {
    const ctx = createContext(requestIdOf(req), process.hrtime.bigint())
    attachContext(req, ctx)
    res.setHeader('X-Request-Id', ctx.requestId)
    hooks.onStart?.(req, res, ctx)
    runFrom(0, req, res, ctx)
  }
  return { handler }
}
