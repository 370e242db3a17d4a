// How a request body goes upstream, and whether it can go again on a fresh connection (the one retry).
import type { ClientRequest, IncomingMessage } from 'node:http'
import type { Readable } from 'node:stream'
import type { RequestContext } from '../request-context.js'

/** Streamed bodies up to this size are kept while they stream, so a request on a stale connection can be sent again. */
const REPLAYABLE_BYTES = 64 * 1024

export interface RequestBody {
  /** Sends the body on `upstream`; for the retry, `failed` is the first attempt's request. */
  sendOn(upstream: ClientRequest, failed?: ClientRequest): void
  /** Whether all of it can still be sent again. */
  readonly replayable: boolean
  /** The upstream answered: no retry can come any more, so nothing needs to be kept. */
  answered(): void
}

/** The bytes a stage already read, nothing, or the stream (through a stage's transform, e.g. quotas). */
export function requestBody(req: IncomingMessage, ctx: RequestContext): RequestBody {
  if (ctx.body) return new ReadBody(ctx.body)
  if (!hasBody(req)) return NO_BODY
  const source = ctx.bodyTransform ? req.pipe(ctx.bodyTransform) : req
  return new StreamedBody(source, Number(req.headers['content-length']))
}

/** HTTP/1.1 framing: without Content-Length or Transfer-Encoding a request has no body. */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length']
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
}

// Classes, not object literals with closures: one per request is on the hot path, and a literal with a getter gives
// V8 a new hidden class each time (old-generation garbage that made every collection slower).

class ReadBody implements RequestBody {
  readonly replayable = true
  constructor(private readonly bytes: Buffer) {}
  sendOn(upstream: ClientRequest): void {
    upstream.end(this.bytes)
  }
  answered(): void {}
}

const NO_BODY: RequestBody = {
  replayable: true,
  sendOn: (upstream) => upstream.end(),
  answered: () => {},
}

class StreamedBody implements RequestBody {
  /** Copies of what went upstream so far; undefined when the body is not kept (chunked, large, or answered). */
  private kept: Buffer[] | undefined

  constructor(
    private readonly source: Readable,
    length: number,
  ) {
    // Chunked or large bodies are not kept: they stream through and a failure ends the request.
    this.kept = length <= REPLAYABLE_BYTES ? [] : undefined
  }

  get replayable(): boolean {
    return this.kept !== undefined
  }

  answered(): void {
    this.kept = undefined
  }

  sendOn(upstream: ClientRequest, failed?: ClientRequest): void {
    const { source } = this
    if (failed) {
      source.unpipe(failed)
      for (const chunk of this.kept ?? []) upstream.write(chunk)
      if (source.readableEnded) {
        upstream.end()
        return
      }
    } else if (this.kept) {
      // Copied: a chunk is a slice of the socket's read buffer, and holding it would hold that whole buffer.
      source.on('data', (chunk: Buffer) => this.kept?.push(Buffer.from(chunk)))
    }
    source.pipe(upstream)
  }
}
