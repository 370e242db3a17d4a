// Key/value encoding between the wire (base64 or embedded JSON) and the stored bytes.
import type { EmbeddedFormat } from './media-types.js'
import { errors } from './rest-error.js'

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/** Strict, padded base64 (Jackson's default variant) to bytes; null when absent. */
export function decodeBase64Field(value: unknown): Buffer | null {
  if (value === undefined || value === null) return null
  if (typeof value !== 'string' || !STRICT_BASE64.test(value)) {
    throw errors.unprocessable('Record key/value contains invalid base64 encoding')
  }
  return Buffer.from(value, 'base64')
}

/** An embedded JSON value (json, avro, jsonschema, protobuf) stored as its JSON text; null when absent. */
export function encodeJsonField(value: unknown): Buffer | null {
  if (value === undefined || value === null) return null
  return Buffer.from(JSON.stringify(value), 'utf8')
}

export function decodeProduceField(value: unknown, format: EmbeddedFormat): Buffer | null {
  return format === 'binary' ? decodeBase64Field(value) : encodeJsonField(value)
}

/** Stored bytes as a consumer of `format` sees them: base64 for binary, else the JSON value (or the text). */
export function encodeForRead(bytes: Buffer | null, format: EmbeddedFormat): unknown {
  if (bytes === null) return null
  if (format === 'binary') return bytes.toString('base64')
  const text = bytes.toString('utf8')
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
