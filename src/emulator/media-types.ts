// Kafka REST media types: Content-Type classification and Accept negotiation, all as data tables. Written apart from the
// gateway's own tables (src/policy/kafka-media.ts, negotiate.ts) on purpose: the emulator stands in for the real REST proxy,
// so it must not share the code it is there to check. test/contract/media-agreement.test.ts runs both on the same
// requests and fails on any disagreement.

export type ApiVersion = 'v1' | 'v2'
export type EmbeddedFormat = 'binary' | 'json' | 'avro' | 'jsonschema' | 'protobuf'

export const MEDIA = {
  V1: 'application/vnd.kafka.v1+json',
  V1B: 'application/vnd.kafka.binary.v1+json',
  V1J: 'application/vnd.kafka.json.v1+json',
  V1A: 'application/vnd.kafka.avro.v1+json',
  KJ: 'application/vnd.kafka+json',
  J: 'application/json',
  OS: 'application/octet-stream',
  V2: 'application/vnd.kafka.v2+json',
  V2B: 'application/vnd.kafka.binary.v2+json',
  V2J: 'application/vnd.kafka.json.v2+json',
  V2A: 'application/vnd.kafka.avro.v2+json',
  V2JS: 'application/vnd.kafka.jsonschema.v2+json',
  V2P: 'application/vnd.kafka.protobuf.v2+json',
} as const

export interface ProduceMedia {
  version: ApiVersion
  format: EmbeddedFormat
}

interface ProduceMediaRule extends ProduceMedia {
  topicRouteOnly?: boolean
}

/** Request Content-Types accepted by the produce routes; '' stands for a missing header (matched as OS). */
const PRODUCE_MEDIA: Record<string, ProduceMediaRule> = {
  '': { version: 'v1', format: 'binary' },
  [MEDIA.OS]: { version: 'v1', format: 'binary' },
  [MEDIA.J]: { version: 'v1', format: 'binary' },
  [MEDIA.KJ]: { version: 'v1', format: 'binary' },
  [MEDIA.V1]: { version: 'v1', format: 'binary' },
  [MEDIA.V1B]: { version: 'v1', format: 'binary' },
  [MEDIA.V1J]: { version: 'v1', format: 'json' },
  [MEDIA.V1A]: { version: 'v1', format: 'avro' },
  [MEDIA.V2]: { version: 'v2', format: 'binary', topicRouteOnly: true },
  [MEDIA.V2B]: { version: 'v2', format: 'binary' },
  [MEDIA.V2J]: { version: 'v2', format: 'json' },
  [MEDIA.V2A]: { version: 'v2', format: 'avro' },
  [MEDIA.V2JS]: { version: 'v2', format: 'jsonschema' },
  [MEDIA.V2P]: { version: 'v2', format: 'protobuf' },
}

const V1_FAMILY = new Set<string>(['', MEDIA.OS, MEDIA.J, MEDIA.KJ, MEDIA.V1, MEDIA.V1B, MEDIA.V1J, MEDIA.V1A])
const V2_FAMILY = new Set<string>([MEDIA.V2, MEDIA.V2B, MEDIA.V2J, MEDIA.V2A, MEDIA.V2JS, MEDIA.V2P])

/** Lower-cased `type/subtype` of a Content-Type header, without parameters; '' when absent. */
export function mediaEssence(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header
  return (value ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
}

export function classifyProduceMedia(contentType: string, route: 'topic' | 'partition'): ProduceMedia | undefined {
  const rule = PRODUCE_MEDIA[contentType]
  if (!rule || (rule.topicRouteOnly && route === 'partition')) return undefined
  return { version: rule.version, format: rule.format }
}

/** API version chosen by a consumer-creation Content-Type (the body's `format` picks the embedded format). */
export function consumerCreateVersion(contentType: string): ApiVersion | undefined {
  if (V2_FAMILY.has(contentType)) return 'v2'
  return V1_FAMILY.has(contentType) ? 'v1' : undefined
}

/** True for the JSON-bodied request types the consumer sub-routes accept. */
export function isJsonRequestMedia(contentType: string): boolean {
  return V1_FAMILY.has(contentType) || V2_FAMILY.has(contentType)
}

/**
 * API version of a request to a path both consumer resources serve (instance delete, commit), if the headers pick one.
 * A versioned Content-Type decides. Otherwise Jersey selects the method whose response types the client weighs highest:
 * v1 produces V1, KJ and J, v2 produces V2 and J, and a versioned embedded type names its version. A tie goes to the
 * only version a range names explicitly; else nothing is picked and both maps are searched.
 */
export function explicitVersion(contentType: string, accept: string | undefined): ApiVersion | undefined {
  const byContentType = versionNamedBy(contentType)
  if (byContentType) return byContentType
  const ranges = parseAccept(accept)
  const weight = (version: ApiVersion) =>
    Math.max(
      ...RESPONSE_MEDIA[version].map((candidate) => clientQuality(ranges, candidate.type)),
      ...ranges.filter((range) => versionNamedBy(range.type) === version).map((range) => range.q),
    )
  const [v1, v2] = [weight('v1'), weight('v2')]
  if (v1 !== v2) return v1 > v2 ? 'v1' : 'v2'
  if (v1 <= 0) return undefined
  const named = new Set(ranges.filter((range) => range.q === v1).map((range) => versionNamedBy(range.type)))
  named.delete(undefined)
  return named.size === 1 ? [...named][0] : undefined
}

function versionNamedBy(type: string): ApiVersion | undefined {
  return /^application\/vnd\.kafka(\.[a-z]+)?\.(v[12])\+json$/.exec(type)?.[2] as ApiVersion | undefined
}

export interface AcceptRange {
  type: string
  q: number
}

export function parseAccept(header: string | undefined): AcceptRange[] {
  if (!header?.trim()) return [{ type: '*/*', q: 1 }]
  return header
    .split(',')
    .map(parseAcceptRange)
    .filter((range) => range.type !== '')
}

function parseAcceptRange(part: string): AcceptRange {
  const [type = '', ...params] = part.split(';').map((piece) => piece.trim())
  const qParam = params.find((param) => /^q\s*=/i.test(param))
  const q = qParam === undefined ? 1 : Number(qParam.split('=')[1])
  return { type: type.toLowerCase(), q: Number.isFinite(q) ? q : 0 }
}

export interface MediaCandidate<T> {
  type: string
  qs: number
  value: T
}

/** Jersey-style negotiation: client q first, then server qs, then table order. */
export function negotiate<T>(
  accept: string | undefined,
  candidates: MediaCandidate<T>[],
): MediaCandidate<T> | undefined {
  const ranges = parseAccept(accept)
  let best: { candidate: MediaCandidate<T>; q: number } | undefined
  for (const candidate of candidates) {
    const q = clientQuality(ranges, candidate.type)
    if (q <= 0) continue
    if (!best || q > best.q || (q === best.q && candidate.qs > best.candidate.qs)) best = { candidate, q }
  }
  return best?.candidate
}

/**
 * q of the most specific Accept ranges that match `type` (0 when none does). Jersey pairs every range with every produced
 * type and keeps the best pair, so when one type is listed twice the higher q counts, not the first.
 */
function clientQuality(ranges: AcceptRange[], type: string): number {
  const [major] = type.split('/')
  for (const matches of [type, `${major}/*`, '*/*']) {
    const qs = ranges.filter((range) => range.type === matches).map((range) => range.q)
    if (qs.length > 0) return Math.max(...qs)
  }
  return 0
}

const read = (type: string, qs: number, value: EmbeddedFormat): MediaCandidate<EmbeddedFormat> => ({ type, qs, value })

/** Methods of the v1 reads (`…/messages`, `…/instances/{i}/topics/{t}`); binary wins by default. */
export const V1_READ_MEDIA = [
  read(MEDIA.V1B, 1, 'binary'),
  read(MEDIA.V1, 0.9, 'binary'),
  read(MEDIA.KJ, 0.8, 'binary'),
  read(MEDIA.J, 0.5, 'binary'),
  read(MEDIA.V1J, 0.1, 'json'),
  read(MEDIA.V1A, 0.1, 'avro'),
]

/** Methods of the v2 `…/records` read. */
export const V2_READ_MEDIA = [
  read(MEDIA.V2B, 1, 'binary'),
  read(MEDIA.V2, 0.9, 'binary'),
  read(MEDIA.V2J, 0.1, 'json'),
  read(MEDIA.V2A, 0.1, 'avro'),
  read(MEDIA.V2JS, 0.1, 'jsonschema'),
  read(MEDIA.V2P, 0.1, 'protobuf'),
]

const plain = (type: string, qs: number): MediaCandidate<string> => ({ type, qs, value: type })

/** Response types of the non-read routes, per API version; 'any' serves the shared metadata routes. */
const RESPONSE_MEDIA: Record<ApiVersion | 'any', MediaCandidate<string>[]> = {
  v1: [plain(MEDIA.V1, 0.9), plain(MEDIA.KJ, 0.8), plain(MEDIA.J, 0.5)],
  v2: [plain(MEDIA.V2, 0.9), plain(MEDIA.J, 0.5)],
  any: [plain(MEDIA.V1, 0.9), plain(MEDIA.V2, 0.9), plain(MEDIA.KJ, 0.8), plain(MEDIA.J, 0.5)],
}

/** Response Content-Type of a non-read route; falls back to the version's main type instead of answering 406. */
export function responseMedia(accept: string | undefined, version: ApiVersion | 'any'): string {
  const candidates = RESPONSE_MEDIA[version]
  return negotiate(accept, candidates)?.value ?? candidates[0]?.value ?? MEDIA.J
}
