// Consumer creation: the body's `format` picks the instance's embedded format; only absent or binary passes.
import { GatewayError } from '../errors/gateway-error.js'
import type { FormatCheck } from './format-check.js'
import { readJsonBody } from './json-body.js'
import { isObject, memberOf } from './json-member.js'
import { checkConsumerName } from './kafka-names.js'
import { quote } from './quote.js'

export function checkConsumerBody(limit: number): FormatCheck {
  return async function checkConsumerCreateBody(req, ctx) {
    const { raw, value } = await readJsonBody(req, limit)
    ctx.body = raw
    // An empty body or `null` creates a consumer with the defaults, and the default format is binary.
    if (value === undefined || value === null) return
    if (!isObject(value)) {
      throw new GatewayError('BAD_REQUEST', { message: 'The consumer-creation body must be a JSON object' })
    }
    const name = memberOf(value, 'name')
    // The instance name the client asks for becomes a path segment of every later request: same limit as there.
    if (name !== undefined && name !== null) {
      if (typeof name !== 'string') {
        throw new GatewayError('BAD_REQUEST', { message: 'The consumer "name" must be a string' })
      }
      checkConsumerName('instance', name, 'in the body')
    }
    const format = memberOf(value, 'format')
    // The proxy upper-cases the name (Java toUpperCase), so compare the same way.
    if (format === undefined || format === null || (typeof format === 'string' && format.toUpperCase() === 'BINARY')) {
      return
    }
    throw new GatewayError('FORMAT_NOT_ALLOWED', {
      message: `Refused consumer format ${quote(format)}: only binary consumers can be created ("format": "binary" or no format)`,
    })
  }
}
