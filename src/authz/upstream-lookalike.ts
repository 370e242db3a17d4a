// Answers that must look exactly like the REST proxy's own: a hidden topic or a foreign consumer instance simply "does not exist".
import type { ServerResponse } from 'node:http'
import { HANDLED, type RequestContext, type StageResult } from '../request-context.js'

/**
 * The upstream's bodies byte for byte (spec §3: 40401, 40403) and its plain JSON type. Deliberately no `X-Gateway-Error`
 * marker and no `request_id` field: a marker would tell the caller that the topic or instance exists.
 */
const ANSWERS = {
  TOPIC_HIDDEN: Buffer.from('{"error_code":40401,"message":"Topic not found."}'),
  INSTANCE_NOT_OWNED: Buffer.from('{"error_code":40403,"message":"Consumer instance not found."}'),
} as const

export type LookalikeRefusal = keyof typeof ANSWERS

export function answerNotFound(res: ServerResponse, ctx: RequestContext, refusal: LookalikeRefusal): StageResult {
  // Logs and the audit line still say why.
  ctx.refusal = refusal
  const body = ANSWERS[refusal]
  res.writeHead(404, { 'Content-Type': 'application/json', 'Content-Length': body.length })
  res.end(body)
  return HANDLED
}
