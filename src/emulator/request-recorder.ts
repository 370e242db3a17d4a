// Turns a received request and its body into a RecordedRequest (body kept only up to the size limit).
import { createHash } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { RecordedRequest } from './recorded-request.js'

export function recordRequest(req: IncomingMessage, body: Buffer, bodyLimit: number): RecordedRequest {
  return {
    method: req.method ?? '',
    url: req.url ?? '',
    headers: { ...req.headers },
    bodyLength: body.length,
    bodySha256: createHash('sha256').update(body).digest('hex'),
    body: body.length <= bodyLimit ? body : undefined,
  }
}
