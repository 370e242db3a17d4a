// v3 produce: each record's key and value say their own `type`, so every one must be BINARY or absent.
import { GatewayError } from '../errors/gateway-error.js'
import type { FormatCheck } from './format-check.js'
import { readJsonRecords } from './json-body.js'
import { isObject, memberOf } from './json-member.js'
import { quote } from './quote.js'

const ADVICE =
  'only binary produce is allowed: give key and value as {"type": "BINARY", "data": "<base64>"} or leave them out'

export function checkV3Body(batch: boolean, limit: number): FormatCheck {
  return async function checkV3ProduceBody(req, ctx) {
    let index = 0
    ctx.body = await readJsonRecords(req, limit, (value) => {
      const items = batch ? entriesOf(value) : [value]
      for (const record of items) checkRecord(record, index++)
    })
    ctx.records = index
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
