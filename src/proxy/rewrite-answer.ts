// Rewrites a small JSON answer before the client gets it: `base_uri` of consumer creation, and a stage's own rewrite.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import { GatewayError } from '../errors/gateway-error.js'
import type { AnswerStep } from '../request-context.js'
import type { UrlRewriter } from './public-origin.js'

/** Answers rewritten here are small (a consumer-creation answer, a topic list); a larger one is refused, never passed on. */
const MAX_BODY = 4 * 1024 * 1024

/**
 * Buffers the upstream answer, parses it (undefined when it is not JSON) and sends what `rewrite` returns, or the original
 * bytes when it returns undefined. Rejects, before anything is written, when the answer is too large or `rewrite` fails.
 */
export function sendRewrittenAnswer(
  upstream: IncomingMessage,
  res: ServerResponse,
  headers: OutgoingHttpHeaders,
  rewrite: (answer: unknown) => unknown,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    upstream.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_BODY) return void chunks.push(chunk)
      upstream.destroy()
      reject(new GatewayError('UPSTREAM_UNAVAILABLE', { message: 'The Kafka REST proxy answered more than expected' }))
    })
    upstream.on('end', () => {
      const original = Buffer.concat(chunks)
      Promise.resolve(rewrite(parse(original)))
        .then((answer) => {
          const body = answer === undefined ? original : Buffer.from(JSON.stringify(answer))
          headers['content-length'] = body.length
          res.writeHead(upstream.statusCode ?? 502, headers)
          res.end(body)
          resolve()
        })
        .catch(reject)
    })
  })
}

/** Points `base_uri` at the gateway (undefined, so the bytes pass unchanged, when the answer has none). */
export function baseUriRewrite(rewriteUrl: UrlRewriter): AnswerStep {
  return (answer) => {
    if (typeof answer !== 'object' || answer === null || !('base_uri' in answer)) return undefined
    if (typeof answer.base_uri !== 'string') return undefined
    return { ...answer, base_uri: rewriteUrl(answer.base_uri) }
  }
}

function parse(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'))
  } catch {
    return undefined
  }
}
