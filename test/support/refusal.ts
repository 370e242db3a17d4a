// The shape every refusal test asserts: the catalogue's status for the code, the gateway's marker, and its own
// Kafka-style body. What the upstream saw is the caller's to assert, next to the request that would have reached it.
import { expect } from 'vitest'
import { catalogue, type ErrorCode } from '../../src/errors/catalogue.js'

/** Asserts a fetch Response is the gateway's own refusal with `code`; returns the parsed body for further checks. */
export async function expectRefusal(res: Response, code: ErrorCode): Promise<Record<string, unknown>> {
  const body = (await res.json()) as Record<string, unknown>
  expectRefusalParts(res.status, res.headers.get('x-gateway-error') ?? undefined, body, code)
  return body
}

/** The same for an answer read off node:http or a raw socket (rawRequest, sendRaw, rawExchange). */
export function expectRawRefusal(res: TextAnswer, code: ErrorCode): Record<string, unknown> {
  const body = JSON.parse(res.body) as Record<string, unknown>
  expectRefusalParts(res.status, res.headers['x-gateway-error'] as string | undefined, body, code)
  return body
}

/** What every raw answer helper returns: lower-cased header names, the body as text. */
interface TextAnswer {
  status: number
  headers: Readonly<Record<string, string | string[] | undefined>>
  body: string
}

function expectRefusalParts(
  status: number,
  marker: string | undefined,
  body: Record<string, unknown>,
  code: ErrorCode,
) {
  const entry = catalogue[code]
  expect({ status, marker }).toEqual({ status: entry.status, marker: code })
  expect(body).toMatchObject({ error_code: entry.errorCode, message: expect.any(String), error: code })
}
