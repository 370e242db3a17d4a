// The buffered answer path: read a small upstream answer whole (decoded, size-capped, on a deadline), run the answer steps
// that stages registered, and send what they leave as one write.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import type { Readable } from 'node:stream'
import zlib from 'node:zlib'
import { GatewayError } from '../errors/gateway-error.js'
import { RESPONSE_TIMEOUT } from '../errors/upstream-failure-reason.js'
import type { AnswerStep } from '../request-context.js'
import type { UrlRewriter } from './public-origin.js'
import { upstreamFailure } from './upstream-failure.js'

/** Answers read here are small (a consumer-creation answer, a topic list); a larger one is refused, never passed on. */
export const MAX_ANSWER_BYTES = 4 * 1024 * 1024

export interface AnswerLimits {
  maxBytes: number
  /** The whole answer must arrive within this (the upstream timeout), however slowly it trickles. */
  deadlineMs: number
}

/**
 * Buffers the upstream answer, decodes it, parses it (undefined when it is not JSON), runs `steps` in order and sends
 * the result, or the original bytes when every step returned undefined. Rejects before anything is written when the
 * upstream resets, the answer is too large or late, or a step throws; the caller answers the rejection.
 */
export async function sendAnswerThroughSteps(
  upstream: IncomingMessage,
  res: ServerResponse,
  headers: OutgoingHttpHeaders,
  steps: readonly AnswerStep[],
  limits: AnswerLimits,
): Promise<void> {
  const status = upstream.statusCode ?? 502
  const original = await readAnswer(upstream, limits)
  // Decoded here, so the client gets identity bytes whatever the upstream chose.
  delete headers['content-encoding']
  let answer = parse(original)
  let changed = false
  for (const step of steps) {
    const replaced = await step(answer, status)
    if (replaced === undefined) continue
    answer = replaced
    changed = true
  }
  // The client left, or an upstream timeout was answered meanwhile.
  if (res.headersSent || res.destroyed) return
  const body = changed ? Buffer.from(JSON.stringify(answer)) : original
  headers['content-length'] = body.length
  res.writeHead(status, headers)
  res.end(body)
}

/** Points `base_uri` at the gateway (undefined, so the bytes pass unchanged, when the answer has none). */
export function baseUriStep(rewriteUrl: UrlRewriter): AnswerStep {
  return (answer) => {
    if (typeof answer !== 'object' || answer === null || !('base_uri' in answer)) return undefined
    if (typeof answer.base_uri !== 'string') return undefined
    return { ...answer, base_uri: rewriteUrl(answer.base_uri) }
  }
}

/** The whole answer, decoded from gzip, deflate or br; the cap counts decoded bytes (a small gzip can inflate a lot). */
function readAnswer(upstream: IncomingMessage, { maxBytes, deadlineMs }: AnswerLimits): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let decoder: ReturnType<typeof decoderFor>
    try {
      decoder = decoderFor(upstream.headers['content-encoding'])
    } catch (error) {
      upstream.destroy()
      return reject(error)
    }
    const source: Readable = decoder ? upstream.pipe(decoder) : upstream
    const chunks: Buffer[] = []
    let size = 0
    let settled = false
    const fail = (error: GatewayError) => {
      if (settled) return
      settled = true
      clearTimeout(deadline)
      upstream.destroy()
      decoder?.destroy()
      reject(error)
    }
    const deadline = setTimeout(
      () => fail(upstreamFailure(Object.assign(new Error('answer deadline'), { code: RESPONSE_TIMEOUT }))),
      deadlineMs,
    )
    source.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= maxBytes) return void chunks.push(chunk)
      fail(new GatewayError('UPSTREAM_UNAVAILABLE', { message: 'The Kafka REST proxy answered more than expected' }))
    })
    source.once('end', () => {
      if (settled) return
      settled = true
      clearTimeout(deadline)
      resolve(Buffer.concat(chunks, size))
    })
    // A reset while the answer arrives: 'aborted' and 'error' on the response (never 'end').
    const broken = (error?: Error) =>
      fail(upstreamFailure(error ?? Object.assign(new Error('aborted'), { code: 'ECONNRESET' })))
    upstream.once('aborted', () => broken())
    upstream.once('error', broken)
    upstream.once('close', () => {
      if (!upstream.complete) broken()
    })
    decoder?.once('error', () =>
      fail(new GatewayError('UPSTREAM_UNAVAILABLE', { message: 'The Kafka REST proxy sent an undecodable answer' })),
    )
  })
}

function decoderFor(encoding: string | undefined): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | undefined {
  switch (encoding?.trim().toLowerCase()) {
    case undefined:
    case '':
    case 'identity':
      return undefined
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip()
    case 'deflate':
      return zlib.createInflate()
    case 'br':
      return zlib.createBrotliDecompress()
    default:
      // Stacked or unknown codings: the gateway cannot read the answer, so it must not pass it on unread.
      throw new GatewayError('UPSTREAM_UNAVAILABLE', {
        message: 'The Kafka REST proxy answered in an unsupported content encoding',
      })
  }
}

function parse(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'))
  } catch {
    return undefined
  }
}
