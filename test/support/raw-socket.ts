// Sends hand-written HTTP/1.1 bytes over a TCP socket, for requests node:http would not send (absolute-form, raw `\`…).
import net from 'node:net'

export interface SocketAnswer {
  /** 0 when the server closed the connection without answering. */
  status: number
  headers: Record<string, string>
  body: string
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
    socket.on('close', () => resolve(parse(Buffer.concat(chunks).toString('utf8'))))
  })
}

function parse(text: string): SocketAnswer {
  if (text === '') return { status: 0, headers: {}, body: '' }
  const split = text.indexOf('\r\n\r\n')
  const [statusLine = '', ...lines] = text.slice(0, split).split('\r\n')
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim()
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: text.slice(split + 4) }
}
