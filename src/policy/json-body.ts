// Reads a small JSON request body, size-capped, keeping the exact bytes so the proxy can re-send them unchanged.
import type { IncomingMessage } from 'node:http'
import { GatewayError } from '../errors/gateway-error.js'
import { forEachJsonRecord, parseJsonValues } from './json-values.js'

export interface JsonBody {
  /** The bytes as received: store them in `ctx.body` so the proxy forwards exactly these. */
  raw: Buffer
  /** The parsed value; undefined for an empty (or blank) body. */
  value: unknown
}

export interface JsonSequence {
  raw: Buffer
  /** Every top-level value, in order (a v3 produce body may stream several records). */
  values: unknown[]
}

/**
 * Reads and parses a body that must hold at most one JSON value. Refuses with 413 above `limit` bytes (before reading
 * when Content-Length says so), 400 for bytes that are not UTF-8, invalid JSON, several values or a repeated key.
 * Works for Content-Length, chunked and empty bodies. Call it once per request: it consumes the request stream.
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<JsonBody> {
  const { raw, values } = await readJsonSequence(req, limit)
  if (values.length > 1)
    throw new GatewayError('BAD_REQUEST', { message: 'The request body holds several JSON values' })
  return { raw, value: values[0] }
}

/** As readJsonBody, for a body of zero or more concatenated JSON values. */
export async function readJsonSequence(req: IncomingMessage, limit: number): Promise<JsonSequence> {
  const raw = await readBody(req, limit)
  return { raw, values: parseJsonValues(decode(raw)) }
}

/**
 * Reads a v3 produce body as readJsonSequence does, and calls `onRecord` with each record (arrays unwrapped, each
 * parsed on its own: see forEachJsonRecord), so a large body of tiny records never blocks the event loop for long.
 * Resolves to the bytes as received.
 */
export async function readJsonRecords(
  req: IncomingMessage,
  limit: number,
  onRecord: (record: unknown) => void,
): Promise<Buffer> {
  const raw = await readBody(req, limit)
  await forEachJsonRecord(decode(raw), onRecord)
  return raw
}

function decode(raw: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw)
  } catch {
    throw new GatewayError('BAD_REQUEST', { message: 'The request body is not UTF-8' })
  }
}

/** The whole body, or PAYLOAD_TOO_LARGE as soon as it passes `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  if (Number(req.headers['content-length']) > limit) return Promise.reject(tooLarge(limit))
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= limit) {
        chunks.push(chunk)
        return
      }
      stop()
      req.pause()
      reject(tooLarge(limit))
    }
    const onEnd = () => {
      stop()
      resolve(Buffer.concat(chunks, size))
    }
    const onAbort = () => {
      stop()
      reject(new GatewayError('BAD_REQUEST', { message: 'The request body ended early' }))
    }
    const stop = () => {
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onAbort)
      req.off('close', onAbort)
    }
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onAbort)
    req.on('close', onAbort)
  })
}

function tooLarge(limit: number): GatewayError {
  return new GatewayError('PAYLOAD_TOO_LARGE', {
    message: `The request body is larger than the ${limit} bytes the gateway reads on this route`,
    // The rest of the upload is not wanted: close the connection rather than drain it.
    headers: { Connection: 'close' },
  })
}
