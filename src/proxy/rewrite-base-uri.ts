// Rewrites `base_uri` in a consumer-creation response so clients follow the gateway, never the upstream host.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import type { UrlRewriter } from './public-origin.js'

/** Consumer-creation answers are tiny (two short fields); a larger one is a broken upstream and is cut off. */
const MAX_BODY = 64 * 1024

export function sendWithRewrittenBaseUri(
  upstream: IncomingMessage,
  res: ServerResponse,
  headers: OutgoingHttpHeaders,
  rewrite: UrlRewriter,
): void {
  const chunks: Buffer[] = []
  let size = 0
  upstream.on('data', (chunk: Buffer) => {
    size += chunk.length
    if (size > MAX_BODY) {
      upstream.destroy()
      res.destroy()
      return
    }
    chunks.push(chunk)
  })
  upstream.on('end', () => {
    const body = rewriteBody(Buffer.concat(chunks), rewrite)
    headers['content-length'] = body.length
    res.writeHead(upstream.statusCode ?? 502, headers)
    res.end(body)
  })
}

function rewriteBody(body: Buffer, rewrite: UrlRewriter): Buffer {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'))
    if (typeof parsed !== 'object' || parsed === null || !('base_uri' in parsed)) return body
    const answer = parsed as { base_uri: unknown }
    if (typeof answer.base_uri !== 'string') return body
    answer.base_uri = rewrite(answer.base_uri)
    return Buffer.from(JSON.stringify(answer))
  } catch {
    return body
  }
}
