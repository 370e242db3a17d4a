// v3 produce: each record's key and value say their own `type`, so every one must be BINARY or absent.
import { GatewayError } from '../errors/gateway-error.js'
import type { FormatCheck } from './format-check.js'
import { readJsonSequence } from './json-body.js'
import { isObject, memberOf } from './json-member.js'
import { quote } from './quote.js'

const ADVICE =
  'only binary produce is allowed: give key and value as {"type": "BINARY", "data": "<base64>"} or leave them out'

export function checkV3Body(batch: boolean, limit: number): FormatCheck {
  return async function checkV3ProduceBody(req, ctx) {
    const { raw, values } = await readJsonSequence(req, limit)
    ctx.body = raw
    let index = 0
    for (const value of records(values)) {
      const items = batch ? entriesOf(value) : [value]
      for (const record of items) checkRecord(record, index++)
    }
    ctx.records = index
  }
}

/**
 * The top-level values; a top-level array is read element by element (Jackson's readValues unwraps one). The recursion
 * is bounded: the parser refused bodies nested deeper than MAX_JSON_DEPTH.
 */
function* records(values: readonly unknown[]): Generator<unknown> {
  for (const value of values) {
    if (Array.isArray(value)) yield* records(value)
    else yield value
  }
}

function entriesOf(value: unknown): unknown[] {
  const entries = isObject(value) ? memberOf(value, 'entries') : undefined
  if (!Array.isArray(entries)) throw badBody('a batch must be an object with an "entries" array')
  return entries
}

function checkRecord(record: unknown, index: number): void {
  if (!isObject(record)) throw badBody(`record ${index} is not a JSON object`)
  for (const part of ['key', 'value']) {
    const data = memberOf(record, part)
    if (data === undefined || data === null) continue
    const type = isObject(data) ? memberOf(data, 'type') : undefined
    if (typeof type === 'string' && type.toUpperCase() === 'BINARY') continue
    // Without a type the proxy takes the subject's schema from the registry: that is not binary either.
    const refused = type === undefined ? 'no type' : `type ${quote(type)}`
    throw new GatewayError('FORMAT_NOT_ALLOWED', {
      message: `Refused record ${index}: its ${part} has ${refused}; ${ADVICE}`,
    })
  }
}

function badBody(reason: string): GatewayError {
  return new GatewayError('BAD_REQUEST', { message: `The v3 produce body is refused: ${reason}` })
}
