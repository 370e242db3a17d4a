// Validation of v1/v2 produce bodies into records and schema ids, with the proxy's 422 messages.
import { isObject } from './handler-context.js'
import type { EmbeddedFormat } from './media-types.js'
import { decodeProduceField } from './record-codec.js'
import { errors } from './rest-error.js'
import type { SchemaIds } from './schema-ids.js'

export interface ProduceRecord {
  key: Buffer | null
  value: Buffer | null
  partition: number | undefined
}

export interface ProduceRequest {
  records: ProduceRecord[]
  keySchemaId: number | null
  valueSchemaId: number | null
}

export type ProduceRoute = 'topic' | 'partition'

const REQUEST_FIELDS = ['records', 'key_schema', 'key_schema_id', 'value_schema', 'value_schema_id']
const RECORD_FIELDS: Record<ProduceRoute, string[]> = {
  topic: ['key', 'value', 'partition'],
  partition: ['key', 'value'],
}
const SCHEMA_FORMATS: EmbeddedFormat[] = ['avro', 'jsonschema', 'protobuf']

export function parseProduceRequest(
  body: unknown,
  format: EmbeddedFormat,
  route: ProduceRoute,
  schemas: SchemaIds,
): ProduceRequest {
  if (body !== undefined && body !== null && !isObject(body)) throw errors.unprocessable('Invalid produce request')
  const request = body ?? {}
  rejectUnknownFields(request, REQUEST_FIELDS)
  const rawRecords = request.records
  if (!Array.isArray(rawRecords) || rawRecords.length === 0) throw errors.unprocessable('records may not be empty')
  if (SCHEMA_FORMATS.includes(format)) requireSchemas(request, rawRecords)
  return {
    records: rawRecords.map((raw) => parseRecord(raw, format, route)),
    keySchemaId: schemaId(request, 'key', format, schemas),
    valueSchemaId: schemaId(request, 'value', format, schemas),
  }
}

function rejectUnknownFields(object: Record<string, unknown>, allowed: string[]): void {
  const unknown = Object.keys(object).find((field) => !allowed.includes(field))
  if (unknown !== undefined) throw errors.unprocessable(`Unrecognized field: ${unknown}`)
}

function parseRecord(raw: unknown, format: EmbeddedFormat, route: ProduceRoute): ProduceRecord {
  if (!isObject(raw)) throw errors.unprocessable('Invalid record in records')
  rejectUnknownFields(raw, RECORD_FIELDS[route])
  return {
    key: decodeProduceField(raw.key, format),
    value: decodeProduceField(raw.value, format),
    partition: recordPartition(raw.partition),
  }
}

function recordPartition(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isInteger(value)) throw errors.unprocessable('Invalid partition in record')
  return value
}

const present = (value: unknown) => value !== undefined && value !== null

function requireSchemas(request: Record<string, unknown>, records: unknown[]): void {
  const has = (field: 'key' | 'value') => records.some((record) => isObject(record) && present(record[field]))
  const schemaGiven = (field: 'key' | 'value') =>
    present(request[`${field}_schema`]) || present(request[`${field}_schema_id`])
  if (has('key') && !schemaGiven('key')) throw errors.keySchemaMissing()
  if (has('value') && !schemaGiven('value')) throw errors.valueSchemaMissing()
}

function schemaId(
  request: Record<string, unknown>,
  field: 'key' | 'value',
  format: EmbeddedFormat,
  schemas: SchemaIds,
): number | null {
  if (!SCHEMA_FORMATS.includes(format)) return null
  const id = request[`${field}_schema_id`]
  if (typeof id === 'number') return id
  const schema = request[`${field}_schema`]
  return typeof schema === 'string' ? schemas.idFor(schema) : null
}
