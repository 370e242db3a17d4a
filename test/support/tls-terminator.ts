// An HTTPS front for a plain-HTTP test server (the emulator): TLS terminated here, bytes piped through unchanged.
import net, { type AddressInfo } from 'node:net'
import tls from 'node:tls'

export interface TlsTerminator {
  /** https://127.0.0.1:<port> */
  url: string
  /** Connections whose TLS handshake completed. */
  handshakes: number
  close(): Promise<void>
}

export async function startTlsTerminator(target: string, options: tls.TlsOptions): Promise<TlsTerminator> {
  const { hostname, port } = new URL(target)
  const sockets = new Set<net.Socket>()
  const state = { handshakes: 0 }
  const server = tls.createServer(options, (secure) => {
    state.handshakes++
    const plain = net.connect(Number(port), hostname)
    for (const socket of [secure, plain]) {
      sockets.add(socket)
      socket.on('error', () => {})
      socket.on('close', () => {
        sockets.delete(socket)
        secure.destroy()
        plain.destroy()
      })
    }
    secure.pipe(plain).pipe(secure)
  })
  server.on('tlsClientError', () => {})
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get handshakes() {
      return state.handshakes
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
      }),
  }
}
