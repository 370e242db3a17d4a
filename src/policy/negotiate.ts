// Accept negotiation as the upstream's Jersey does it: the client's weight first, then the server's qs, then order.
import type { ReadType } from './kafka-media.js'
import type { MediaRange } from './media-type.js'

/** No Accept header means `*∕*` (RFC 9110 §12.5.1). */
const ANY: readonly MediaRange[] = [{ type: '*', subtype: '*', essence: '*/*', q: 1 }]

/**
 * The type a read method answers with, or undefined when the client accepts none of them (the upstream's bodiless 406).
 * The client's weight for a type comes from its most specific matching range; among equally specific ranges the highest
 * weight counts, as Jersey combines every compatible range. That way a choice of binary here is binary upstream too.
 */
export function negotiate(
  ranges: readonly MediaRange[] | undefined,
  offered: readonly ReadType[],
): ReadType | undefined {
  const accepted = ranges === undefined || ranges.length === 0 ? ANY : ranges
  let best: ReadType | undefined
  let bestQ = 0
  for (const candidate of offered) {
    const q = clientWeight(accepted, candidate.essence)
    if (q <= 0) continue
    if (best === undefined || q > bestQ || (q === bestQ && candidate.qs > best.qs)) {
      best = candidate
      bestQ = q
    }
  }
  return best
}

function clientWeight(ranges: readonly MediaRange[], essence: string): number {
  const slash = essence.indexOf('/')
  const type = essence.slice(0, slash)
  let level = -1
  let q = 0
  for (const range of ranges) {
    const rangeLevel =
      range.essence === essence ? 2 : range.type === type && range.subtype === '*' ? 1 : range.type === '*' ? 0 : -1
    if (rangeLevel < 0 || rangeLevel < level) continue
    q = rangeLevel > level ? range.q : Math.max(q, range.q)
    level = rangeLevel
  }
  return q
}
