// Building blocks for hostile tokens: raw JWS text from any header/payload bytes, foreign keys, an attacker key server.
import { createHmac } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, type JWK } from 'jose'

export const b64url = (value: unknown): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')

/** `header.payload.` with no signature (alg none and shape tests). */
export const unsigned = (header: unknown, payload: unknown): string => `${b64url(header)}.${b64url(payload)}.`

/** HS256 over the exact signing input, with any bytes as the secret (key-confusion tests). */
export function hs256(header: unknown, payload: unknown, secret: string | Buffer): string {
  const input = `${b64url(header)}.${b64url(payload)}`
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`
}

export interface ForeignKey {
  kid: string
  publicJwk: JWK
  /** Signs header and payload text (ES256). */
  sign(header: unknown, payload: unknown): Promise<string>
}

/** An ES256 key the gateway has never been told about. */
export async function foreignKey(kid: string): Promise<ForeignKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
  return {
    kid,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' },
    async sign(header, payload) {
      const input = `${b64url(header)}.${b64url(payload)}`
      const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, Buffer.from(input))
      return `${input}.${Buffer.from(signature).toString('base64url')}`
    },
  }
}

export interface AttackerServer {
  url: string
  /** Every request it ever received: must stay 0, the gateway never follows token-supplied key URLs. */
  readonly requests: number
  close(): Promise<void>
}

/** Serves the attacker's JWKS on any path, and counts requests. */
export async function startAttackerServer(keys: JWK[]): Promise<AttackerServer> {
  let requests = 0
  const server = http.createServer((_req, res) => {
    requests++
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get requests() {
      return requests
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
