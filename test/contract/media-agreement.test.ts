// The gateway's media policy against the emulator's, request by request. The emulator keeps its own media table and
// Accept negotiator on purpose: it stands in for the real REST proxy, so if it shared the policy's code a mistake in that
// code would be made twice and every end-to-end test would still pass. This test is what keeps the two honest: every
// format-checked route of the route table × every Content-Type or Accept of the matrix, through both; any disagreement
// fails; and wherever the gateway is sure which consumer namespace (v1 or v2) a delete or commit reaches, the emulator
// agrees. The test's own media strings (test/support/http.ts) are a third, independent copy, checked against both.
import type { IncomingMessage } from 'node:http'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { instanceNamespace } from '../../src/authz/consumer-namespace.js'
import { loadConfig } from '../../src/config/load.js'
import * as emulatorMedia from '../../src/emulator/media-types.js'
import { GatewayError } from '../../src/errors/gateway-error.js'
import type { FormatCheck } from '../../src/policy/format-check.js'
import { createFormatCheck } from '../../src/policy/format-checks.js'
import * as policyMedia from '../../src/policy/kafka-media.js'
import { parseAccept } from '../../src/policy/media-type.js'
import { negotiate } from '../../src/policy/negotiate.js'
import { type FormatRule, routes } from '../../src/policy/routes.js'
import { minimalEnv } from '../support/config.js'
import { CT } from '../support/http.js'

const policyLimits = loadConfig({ env: minimalEnv }).policy

type ContentTypeRule = Extract<FormatRule, { check: 'content-type' }>
type AcceptRule = Extract<FormatRule, { check: 'accept' }>

/** Which emulator table answers the same route: the emulator routes by path, the policy by rule, so map rule → table. */
function emulatorProduceRoute(rule: ContentTypeRule): 'topic' | 'partition' {
  if (rule.binary === policyMedia.BINARY_PRODUCE_TO_TOPIC) return 'topic'
  if (rule.binary === policyMedia.BINARY_PRODUCE_TO_PARTITION) return 'partition'
  throw new Error('a produce rule with a new Content-Type table: map it to the emulator route it stands for')
}

function emulatorReadTable(rule: AcceptRule): emulatorMedia.MediaCandidate<emulatorMedia.EmbeddedFormat>[] {
  if (rule.offered === policyMedia.V1_READ_TYPES) return emulatorMedia.V1_READ_MEDIA
  if (rule.offered === policyMedia.V2_READ_TYPES) return emulatorMedia.V2_READ_MEDIA
  throw new Error('a read rule with a new Accept table: map it to the emulator table it stands for')
}

const produceRoutes = routes.flatMap((route) => (route.format.check === 'content-type' ? [route] : []))
const readRoutes = routes.flatMap((route) => (route.format.check === 'accept' ? [route] : []))

/** The gateway's verdict on one request: passed, or refused with a catalogue code. */
function gatewayVerdict(check: FormatCheck, headers: Record<string, string>): 'passed' | string {
  const rawHeaders = Object.entries(headers).flat()
  const req = { headers, rawHeaders } as unknown as IncomingMessage
  try {
    const result = check(req, { requestId: 'media-agreement', startedAt: 0n })
    if (result instanceof Promise) throw new Error('header checks are synchronous')
    return 'passed'
  } catch (error) {
    if (error instanceof GatewayError) return error.code
    throw error
  }
}

function checkOf(rule: FormatRule): FormatCheck {
  const check = createFormatCheck(rule, policyLimits)
  if (!check) throw new Error(`no check for ${rule.check}`)
  return check
}

/** Every media type either side knows, the test's own ones, wildcards, and case and parameter variants. */
const essences = [
  ...new Set([...Object.values(CT), ...Object.values(policyMedia.MEDIA), ...Object.values(emulatorMedia.MEDIA)]),
]
const mediaTypes = [
  ...essences,
  'application/*',
  '*/*',
  'text/*',
  'text/html',
  'APPLICATION/VND.KAFKA.BINARY.V2+JSON',
  'Application/Vnd.Kafka.Json.V1+Json',
]
const weights = ['', ';q=1', ';q=0.9', ';q=0.5', ';q=0.1', ';q=0.05', ';q=0']

describe('the three media tables', () => {
  it('spell every media type they share the same way', () => {
    for (const [name, type] of Object.entries(policyMedia.MEDIA)) {
      expect(emulatorMedia.MEDIA[name as keyof typeof emulatorMedia.MEDIA], name).toBe(type)
      expect(CT[name as keyof typeof CT], name).toBe(type)
    }
    expect(Object.keys(emulatorMedia.MEDIA).sort()).toEqual(Object.keys(policyMedia.MEDIA).sort())
  })
})

describe.each(produceRoutes)('produce route $name: Content-Type', ({ format }) => {
  const rule = format as ContentTypeRule
  const check = checkOf(rule)
  const route = emulatorProduceRoute(rule)
  const contentTypes = [
    ...mediaTypes.filter((type) => !type.includes('*')),
    ...essences.map((type) => `${type}; charset=utf-8`),
    ...essences.map((type) => ` ${type.toUpperCase()} `),
  ]

  it('every type, with parameters, spacing and case: the gateway passes exactly what the emulator reads as binary', () => {
    for (const contentType of contentTypes) {
      const verdict = gatewayVerdict(check, { 'content-type': contentType })
      const emulatorSees = emulatorMedia.classifyProduceMedia(emulatorMedia.mediaEssence(contentType), route)
      expect(verdict, contentType).toBe(emulatorSees?.format === 'binary' ? 'passed' : 'FORMAT_NOT_ALLOWED')
    }
  })

  it('no Content-Type: both read binary', () => {
    expect(gatewayVerdict(check, {})).toBe('passed')
    expect(emulatorMedia.classifyProduceMedia(emulatorMedia.mediaEssence(undefined), route)?.format).toBe('binary')
  })
})

describe.each(readRoutes)('read route $name: Accept', ({ format }) => {
  const rule = format as AcceptRule
  const check = checkOf(rule)
  const table = emulatorReadTable(rule)

  /**
   * Same type chosen by both negotiators, and the gateway passes exactly the requests the emulator answers in binary.
   * Returns what went wrong (undefined: they agree), so a whole matrix reports every disagreement at once.
   */
  function disagreement(accept: string): string | undefined {
    const ranges = parseAccept(accept)
    const verdict = gatewayVerdict(check, { accept })
    // A malformed Accept is the gateway's own 400; the emulator need not agree on syntax, only never see binary passed.
    if (ranges === undefined) return verdict === 'BAD_REQUEST' ? undefined : `${accept}: ${verdict}, not BAD_REQUEST`
    const chosen = negotiate(ranges, rule.offered)?.essence
    const emulatorChosen = emulatorMedia.negotiate(accept, table)
    const expected = emulatorChosen?.value === 'binary' ? 'passed' : 'FORMAT_NOT_ACCEPTED'
    if (chosen === emulatorChosen?.type && verdict === expected) return undefined
    return `${accept}: gateway chose ${chosen} (${verdict}), emulator ${emulatorChosen?.type} (${expected})`
  }
  const disagreements = (accepts: Iterable<string>) => [...accepts].flatMap((accept) => disagreement(accept) ?? [])

  const singles = mediaTypes.flatMap((type) => weights.map((weight) => `${type}${weight}`))

  it('one media range, every type × every weight', () => {
    expect(disagreements(['', ...singles])).toEqual([])
  })

  it('two media ranges, every pair of types × weights', () => {
    expect(disagreements(singles.flatMap((first) => singles.map((second) => `${first}, ${second}`)))).toEqual([])
  })

  it('any list of up to five ranges, with repeats, spacing and empty elements', () => {
    const range = fc.tuple(fc.constantFrom(...mediaTypes), fc.constantFrom(...weights)).map(([t, w]) => `${t}${w}`)
    const separator = fc.constantFrom(',', ', ', ' ,', ',,', ',\t')
    const list = fc
      .array(fc.tuple(range, separator), { minLength: 1, maxLength: 5 })
      .map((parts) => parts.map(([r, s]) => `${r}${s}`).join(''))
    fc.assert(
      fc.property(list, (accept) => disagreement(accept) === undefined),
      { numRuns: 3000 },
    )
  })
})

describe('instance delete and commit: which consumer namespace the headers reach', () => {
  const contentTypes = [undefined, ...mediaTypes.filter((type) => !type.includes('*'))]
  const singles = mediaTypes.flatMap((type) => weights.map((weight) => `${type}${weight}`))

  /** The gateway may be unsure (then the caller must hold every namespace); when it is sure, the emulator must agree. */
  function disagreement(contentType: string | undefined, accept: string | undefined): string | undefined {
    const headers = {
      ...(contentType === undefined ? {} : { 'content-type': contentType }),
      ...(accept === undefined ? {} : { accept }),
    }
    const gateway = instanceNamespace('consumer-delete', headers)
    if (gateway === undefined) return undefined
    const emulator = emulatorMedia.explicitVersion(emulatorMedia.mediaEssence(contentType), accept)
    return gateway === emulator ? undefined : `${contentType} / ${accept}: gateway ${gateway}, emulator ${emulator}`
  }

  it('every Content-Type × no Accept or one media range', () => {
    const found = contentTypes.flatMap((contentType) =>
      [undefined, ...singles].flatMap((accept) => disagreement(contentType, accept) ?? []),
    )
    expect(found).toEqual([])
  })

  it('any Content-Type × any list of up to four ranges', () => {
    const contentType = fc.constantFrom(...contentTypes)
    const accept = fc
      .array(fc.constantFrom(...singles), { minLength: 1, maxLength: 4 })
      .map((ranges) => ranges.join(', '))
    fc.assert(
      fc.property(contentType, accept, (type, ranges) => disagreement(type, ranges) === undefined),
      { numRuns: 5000 },
    )
  })
})
