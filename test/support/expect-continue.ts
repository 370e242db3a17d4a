// A client that sends `Expect: 100-continue` as curl does: the head first, the body only once a 100 arrives.
import net from 'node:net'
import { parseAnswer, type SocketAnswer } from './raw-socket.js'

export interface ContinueAnswer extends SocketAnswer {
  /** True when the server sent `100 Continue` (and so the body was sent). */
  continued: boolean
  /** True when the server closed the connection after its answer. */
  closed: boolean
}

/**
 * Sends `head` (request line and headers, without the blank line; it must carry Expect and Content-Length), then
 * `body` only after a 100. Resolves at the end of the final answer: when the server closes the connection, or when a
 * Content-Length answer without `Connection: close` is complete.
 */
export function continueExchange(url: string, head: string, body: string): Promise<ContinueAnswer> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(`${head}\r\n\r\n`))
    let text = ''
    let continued = false
    let done = false
    const finish = (closed: boolean) => {
      if (done) return
      done = true
      socket.destroy()
      resolve({ continued, closed, ...parseAnswer(text) })
    }
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      text += chunk
      const interim = /^HTTP\/1\.1 100 [^\r]*\r\n\r\n/.exec(text)
      if (interim) {
        continued = true
        text = text.slice(interim[0].length)
        socket.write(body)
      }
      // An answer that announces Connection: close is complete when the server closes.
      if (complete(text) && !/\r\nconnection: *close/i.test(text)) finish(false)
    })
    socket.on('close', () => finish(true))
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET') reject(error)
      else finish(true)
    })
  })
}

function complete(text: string): boolean {
  const split = text.indexOf('\r\n\r\n')
  if (split === -1) return false
  const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, split))?.[1]
  return length !== undefined && Buffer.byteLength(text.slice(split + 4)) >= Number(length)
}
