// boundedGet: one GET of a small document from an identity provider over node:http(s): a total deadline, a size cap,
// no redirects, abortable. Not `fetch`: loading Node's fetch (undici) costs the process about 10 MiB of memory.
import http from 'node:http'
import https from 'node:https'

export interface BoundedGetOptions {
  accept: string
  /** For the whole exchange: connecting, the headers and the last byte of the body. */
  timeoutMs: number
  maxBytes: number
  signal: AbortSignal
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])

/** The body as text. Rejects with an Error whose message starts with `what` and never quotes the body. */
export function boundedGet(url: string, options: BoundedGetOptions, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const client = url.startsWith('https:') ? https : http
    // No keep-alive: a refresh every few minutes gains nothing from a pooled connection.
    const req = client.get(url, { headers: { accept: options.accept }, agent: false })
    let settled = false
    const finish = (error: Error | undefined, text?: string) => {
      if (settled) return
      settled = true
      clearTimeout(deadline)
      options.signal.removeEventListener('abort', onAbort)
      if (error) {
        req.destroy()
        reject(error)
      } else resolve(text as string)
    }
    const failed = (reason: string) => finish(new Error(`${what} request failed: ${reason}`))
    const onAbort = () => failed('aborted')
    const deadline = setTimeout(() => failed(`no answer within the ${options.timeoutMs} ms timeout`), options.timeoutMs)
    if (options.signal.aborted) return onAbort()
    options.signal.addEventListener('abort', onAbort, { once: true })
    req.on('error', (error) => failed(error.message))
    req.on('response', (res) => {
      const status = res.statusCode ?? 0
      // The URL is configuration (or came from the issuer's own discovery document): a redirect is not followed.
      if (REDIRECTS.has(status)) return failed('unexpected redirect')
      if (status < 200 || status > 299) return finish(new Error(`${what} answered HTTP ${status}`))
      const tooLarge = () => finish(new Error(`${what} is larger than ${options.maxBytes} bytes`))
      if (Number(res.headers['content-length']) > options.maxBytes) return tooLarge()
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (chunk: Buffer) => {
        size += chunk.length
        // The rest is never downloaded.
        if (size > options.maxBytes) return tooLarge()
        chunks.push(chunk)
      })
      res.on('end', () => finish(undefined, Buffer.concat(chunks).toString('utf8')))
      res.on('error', (error) => failed(error.message))
      res.on('close', () => {
        if (!res.complete) failed('the connection closed before the whole answer')
      })
    })
  })
}
