// How a request body goes upstream, and whether it can go again on a fresh connection (the one retry).
import type { ClientRequest, IncomingMessage } from 'node:http'
import type { Readable } from 'node:stream'
import type { RequestContext } from '../request-context.js'

/** Streamed bodies up to this size are kept while they stream, so a request on a stale connection can be sent again. */
const REPLAYABLE_BYTES = 64 * 1024

export interface RequestBody {
  /** Sends the body on `upstream`; after a failed first attempt, again on the retry's request. */
  sendOn(upstream: ClientRequest): void
  /** Whether all of it can still be sent again. */
  readonly replayable: boolean
  /** The upstream answered: no retry can come any more, so nothing needs to be kept. */
  answered(): void
}

/** The bytes a stage already read, nothing, or the stream (through a stage's transform, e.g. quotas). */
export function requestBody(req: IncomingMessage, ctx: RequestContext): RequestBody {
  const { body } = ctx
  if (body) return { sendOn: (upstream) => upstream.end(body), replayable: true, answered: () => {} }
  if (!hasBody(req)) return EMPTY
  return streamedBody(ctx.bodyTransform ? req.pipe(ctx.bodyTransform) : req, Number(req.headers['content-length']))
}

const EMPTY: RequestBody = { sendOn: (upstream) => upstream.end(), replayable: true, answered: () => {} }

/** HTTP/1.1 framing: without Content-Length or Transfer-Encoding a request has no body. */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length']
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
}

function streamedBody(source: Readable, length: number): RequestBody {
  // Chunked or large bodies are not kept: they stream through and a failure ends the request.
  let kept: Buffer[] | undefined = length <= REPLAYABLE_BYTES ? [] : undefined
  let current: ClientRequest | undefined
  return {
    get replayable() {
      return kept !== undefined
    },
    answered() {
      kept = undefined
    },
    sendOn(upstream) {
      if (current) {
        source.unpipe(current)
        for (const chunk of kept ?? []) upstream.write(chunk)
        if (source.readableEnded) {
          upstream.end()
          return
        }
      } else if (kept) {
        // Copied: a chunk is a slice of the socket's read buffer, and holding it would hold that whole buffer.
        source.on('data', (chunk: Buffer) => kept?.push(Buffer.from(chunk)))
      }
      current = upstream
      source.pipe(upstream)
    },
  }
}
