// Reads a whole request body (any size, chunked or with Content-Length) into one Buffer.
import type { IncomingMessage } from 'node:http'

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
  return Buffer.concat(chunks)
}
