// Consume reads: the REST proxy picks the read method, and so the embedded format, from the Accept header; it must
// negotiate to a binary type.
import { GatewayError } from '../errors/gateway-error.js'
import type { FormatCheck } from './format-check.js'
import { embeddedFormatOf, type ReadType } from './kafka-media.js'
import { parseAccept } from './media-type.js'
import { negotiate } from './negotiate.js'
import { quote } from './quote.js'

export function checkAccept(offered: readonly ReadType[]): FormatCheck {
  const binary = offered.filter((type) => type.binary).map((type) => type.essence)
  const advice = `only binary can be consumed: send Accept ${binary.join(', ')}, */* (or none)`
  return function checkConsumeAccept(req) {
    const header = req.headers.accept
    // No Accept (or an empty one) selects the binary read method upstream.
    if (header === undefined) return
    const ranges = parseAccept(header)
    if (ranges === undefined) throw new GatewayError('BAD_REQUEST', { message: `Malformed Accept ${quote(header)}` })
    const chosen = negotiate(ranges, offered)
    if (chosen?.binary) return
    const refused = chosen ? `the ${embeddedFormatOf(chosen.essence)} format` : `Accept ${quote(header)}`
    throw new GatewayError('FORMAT_NOT_ACCEPTED', { message: `Refused ${refused}: ${advice}` })
  }
}
