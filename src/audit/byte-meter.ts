// Counts body bytes (and produce records) as they stream through the proxy, without buffering or changing the flow of data.
import type { Readable } from 'node:stream'
import type { ByteCount } from '../request-context.js'

/**
 * For the request stream, just before the proxy pipes it: a 'data' listener alone would start the flow on the next tick,
 * possibly before the pipe exists, so the stream is paused again; the proxy's pipe() resumes it for both readers.
 */
export function meterRequest(req: Readable, bytes: ByteCount): void {
  const records = bytes.records
  req.on('data', (chunk: Buffer) => {
    bytes.request += chunk.length
    records?.feed(chunk)
  })
  req.pause()
}

/** For the upstream response, in the same tick as the pipe to the client. */
export function meterResponse(upstream: Readable, bytes: ByteCount): void {
  upstream.on('data', (chunk: Buffer) => {
    bytes.response += chunk.length
  })
}
