// Accept negotiation on the Kafka read methods: the format the upstream would pick, including q-values and wildcards.
import { describe, expect, it } from 'vitest'
import { MEDIA, V1_READ_TYPES, V2_READ_TYPES } from '../../../src/policy/kafka-media.js'
import { parseAccept } from '../../../src/policy/media-type.js'
import { negotiate } from '../../../src/policy/negotiate.js'

const chosen = (accept: string | undefined, offered = V1_READ_TYPES) =>
  negotiate(accept === undefined ? undefined : parseAccept(accept), offered)?.essence

describe('negotiate on the v1 reads', () => {
  it.each([
    [undefined, MEDIA.V1B],
    ['', MEDIA.V1B],
    ['*/*', MEDIA.V1B],
    ['application/*', MEDIA.V1B],
    [MEDIA.V1B, MEDIA.V1B],
    [MEDIA.V1, MEDIA.V1],
    [MEDIA.KJ, MEDIA.KJ],
    [MEDIA.J, MEDIA.J],
    // kafka-rest@0.0.5's default Accept.
    [`${MEDIA.V1}, ${MEDIA.KJ}; q=0.9, ${MEDIA.J}; q=0.8`, MEDIA.V1],
    [`${MEDIA.V1};q=0.8, ${MEDIA.KJ};q=0.9, ${MEDIA.J};q=0.7`, MEDIA.KJ],
    [MEDIA.V1J, MEDIA.V1J],
    [MEDIA.V1A.toUpperCase(), MEDIA.V1A],
    [`${MEDIA.V1B};q=0.4, ${MEDIA.V1J};q=0.5`, MEDIA.V1J],
    [`${MEDIA.V1J}, */*`, MEDIA.V1B],
    [`${MEDIA.V1J};q=0.5, */*;q=0.1`, MEDIA.V1J],
    [`${MEDIA.V1J};q=0, */*`, MEDIA.V1B],
    [`${MEDIA.V1J};q=0.1, ${MEDIA.V1J};q=0.9, ${MEDIA.V1B};q=0.5`, MEDIA.V1J],
    ['text/plain', undefined],
    [MEDIA.V2B, undefined],
    [`${MEDIA.V1B};q=0`, undefined],
  ])('Accept %j selects %j', (accept, essence) => {
    expect(chosen(accept)).toBe(essence)
  })
})

describe('negotiate on the v2 records read', () => {
  it.each([
    [undefined, MEDIA.V2B],
    ['*/*', MEDIA.V2B],
    [MEDIA.V2, MEDIA.V2],
    [MEDIA.V2JS, MEDIA.V2JS],
    [`${MEDIA.V2P};q=0.9, ${MEDIA.V2B};q=0.8`, MEDIA.V2P],
    [`${MEDIA.V2J}, ${MEDIA.V2B}`, MEDIA.V2B],
    // No read method offers application/json on v2 (the upstream's bodiless 406).
    [MEDIA.J, undefined],
    [MEDIA.V1B, undefined],
  ])('Accept %j selects %j', (accept, essence) => {
    expect(chosen(accept, V2_READ_TYPES)).toBe(essence)
  })
})
