// The Kafka REST media types as data: which ones mean binary produce, and what each read method offers.

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

/**
 * Produce Content-Types the upstream reads as binary. A missing Content-Type is matched as application/octet-stream
 * by the REST proxy. Bare V2 is binary only on the topic route (3.2–5.5; 6.0+ answers its own 415 for it).
 */
export const BINARY_PRODUCE_TO_TOPIC = [MEDIA.V2B, MEDIA.V1B, MEDIA.V2, MEDIA.V1, MEDIA.KJ, MEDIA.J, MEDIA.OS] as const
export const BINARY_PRODUCE_TO_PARTITION = [MEDIA.V2B, MEDIA.V1B, MEDIA.V1, MEDIA.KJ, MEDIA.J, MEDIA.OS] as const

/** One response type a read method offers, with the server-side weight (`qs`, from its `@Produces`) that breaks ties. */
export interface ReadType {
  essence: string
  qs: number
  binary: boolean
}

const read = (essence: string, qs: number, binary: boolean): ReadType => ({ essence, qs, binary })

/** v1 reads (`…/partitions/{p}/messages`, `…/instances/{i}/topics/{t}`): binary wins unless json/avro is asked for. */
export const V1_READ_TYPES: readonly ReadType[] = [
  read(MEDIA.V1B, 1, true),
  read(MEDIA.V1, 0.9, true),
  read(MEDIA.KJ, 0.8, true),
  read(MEDIA.J, 0.5, true),
  read(MEDIA.V1J, 0.1, false),
  read(MEDIA.V1A, 0.1, false),
]

/** v2 `…/instances/{i}/records`. */
export const V2_READ_TYPES: readonly ReadType[] = [
  read(MEDIA.V2B, 1, true),
  read(MEDIA.V2, 0.9, true),
  read(MEDIA.V2J, 0.1, false),
  read(MEDIA.V2A, 0.1, false),
  read(MEDIA.V2JS, 0.1, false),
  read(MEDIA.V2P, 0.1, false),
]

/** `application/vnd.kafka.<format>.<version>+<serialization>` → the embedded format it names. */
const EMBEDDED = /^application\/vnd\.kafka\.([^.+]+)\.v[^.+]*\+[^.+]+$/

/** The embedded format a Kafka media type names (`avro`, `binary`…), if it names one. */
export function embeddedFormatOf(essence: string): string | undefined {
  return EMBEDDED.exec(essence)?.[1]
}
