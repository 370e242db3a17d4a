// Produce: the Content-Type picks the embedded format, so only the types the upstream reads as binary pass.
import type { IncomingMessage } from 'node:http'
import { GatewayError } from '../errors/gateway-error.js'
import type { FormatCheck } from './format-check.js'
import { embeddedFormatOf } from './kafka-media.js'
import { parseContentType } from './media-type.js'
import { quote } from './quote.js'

export function checkContentType(binary: readonly string[]): FormatCheck {
  const allowed = new Set(binary)
  const advice = `only binary produce is allowed: send Content-Type ${binary.join(', ')} (or none)`
  return function checkProduceContentType(req) {
    const header = req.headers['content-type']
    // No Content-Type is read upstream as application/octet-stream, which means binary.
    if (header === undefined) return
    if (countContentTypes(req) > 1) {
      // Node keeps the first of several; the upstream might read another one.
      throw new GatewayError('BAD_REQUEST', { message: 'The request has several Content-Type headers' })
    }
    const essence = parseContentType(header)
    if (essence !== undefined && allowed.has(essence)) return
    const format = essence === undefined ? undefined : embeddedFormatOf(essence)
    const refused = format && format !== 'binary' ? `the ${format} format` : `Content-Type ${quote(header)}`
    throw new GatewayError('FORMAT_NOT_ALLOWED', { message: `Refused ${refused}: ${advice}` })
  }
}

function countContentTypes(req: IncomingMessage): number {
  let count = 0
  const raw = req.rawHeaders
  for (let i = 0; i < raw.length; i += 2) if ((raw[i] as string).toLowerCase() === 'content-type') count++
  return count
}
