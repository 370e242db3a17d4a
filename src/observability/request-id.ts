// Request ids: accept a well-formed X-Request-Id from the client or make one, and echo it on the response.
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/** Ids from clients end up in logs: only short, plain tokens are accepted (no spaces, quotes or control characters). */
const VALID_ID = /^[A-Za-z0-9._:-]{1,128}$/

export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id']
  return typeof given === 'string' && VALID_ID.test(given) ? given : randomUUID()
}
