// Hand-written HTTP/1.1 bytes over a TCP socket, for requests node:http would not send (absolute-form, raw `\`, smuggling…).
import net from 'node:net'

export interface SocketAnswer {
  /** 0 when the server closed the connection without answering. */
  status: number
  headers: Record<string, string>
  body: string
}

export interface RawAnswer extends SocketAnswer {
  /** Everything the server sent before closing (or before the wait ended). */
  text: string
  /** True when the server closed the connection. */
  closed: boolean
}

/**
 * Writes `head` (request line and headers, without the blank line), then `body`, with `Connection: close`, and reads
 * until the server closes the connection. Header names come back lower-cased.
 */
export function sendRaw(url: string, head: string, body = ''): Promise<SocketAnswer> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      // Not end(): a half-closed socket makes the server abort a request it is still working on.
      socket.write(`${head}\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n\r\n${body}`, 'latin1')
    })
    const chunks: Buffer[] = []
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('error', reject)
    socket.on('close', () => resolve(parseAnswer(Buffer.concat(chunks).toString('utf8'))))
  })
}

/** Sends `bytes` exactly as given, then reads until the server closes or `waitMs` passes. */
export function rawExchange(url: string, bytes: string | Buffer, waitMs = 2_000): Promise<RawAnswer> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname)
    const chunks: Buffer[] = []
    let closed = false
    const finish = () => {
      clearTimeout(timer)
      socket.destroy()
      const text = Buffer.concat(chunks).toString('latin1')
      resolve({ ...parseAnswer(text), text, closed })
    }
    const timer = setTimeout(finish, waitMs)
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('close', () => {
      closed = true
      finish()
    })
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET') reject(error)
    })
    socket.write(bytes)
  })
}

/** Opens a connection and resolves once it is established (for idle-socket and slowloris tests). */
export function openSocket(url: string): Promise<net.Socket> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => resolve(socket))
    socket.once('error', reject)
  })
}

/** Status, lower-cased headers and body of an HTTP/1.x answer's text; status 0 for an empty one. */
export function parseAnswer(text: string): SocketAnswer {
  if (text === '') return { status: 0, headers: {}, body: '' }
  const split = text.indexOf('\r\n\r\n')
  const [statusLine = '', ...lines] = text.slice(0, split === -1 ? undefined : split).split('\r\n')
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim()
  }
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]
  return { status: status ? Number(status) : 0, headers, body: split === -1 ? '' : text.slice(split + 4) }
}
