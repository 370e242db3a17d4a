// A local token issuer for dev mode, the compose quick start and tests: an ES256 key pair, a JWKS endpoint and an OIDC
// discovery document (on 127.0.0.1 unless told otherwise), and `mint(claims)`.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose'

export interface LocalIssuerOptions {
  issuer?: string
  audience?: string
  port?: number
  /** Default 127.0.0.1. Anything else only where the network is private (a compose network). */
  host?: string
  /** The URL others reach this issuer at (a compose service name), used in the discovery document and as the default `iss`. */
  publicUrl?: string
  /**
   * Serve `GET /token?sub=…` that mints a demo token (dev mode only; anyone who can reach it gets a token). `kind=` asks
   * for a token the gateway refuses (see DEMO_KINDS); `format=text` answers the bare token, for `export TOKEN=$(curl …)`.
   */
  demoTokens?: boolean
}

export interface MintOptions {
  /** Seconds until expiry (default 3600); negative for an already expired token. */
  expiresIn?: number
  /** Sign with the key of this id instead of the current one (rotation tests). */
  kid?: string
}

/** How the JWKS endpoint answers (fault tests): the real key set, or one of the ways an identity provider fails. */
export type JwksMode = 'ok' | 'error' | 'garbage' | 'empty' | 'oversized' | 'reset' | 'hang' | 'redirect'

export interface LocalIssuer {
  url: string
  /** The port it listens on (the URL's may differ behind a published port). */
  port: number
  jwksUrl: string
  issuer: string
  audience: string
  /** How many times the JWKS was fetched (or attempted, whatever the mode). */
  readonly jwksFetches: number
  /** How many times the OIDC discovery document was fetched (or attempted). */
  readonly discoveryFetches: number
  mint(claims?: JWTPayload, options?: MintOptions): Promise<string>
  /** Signs arbitrary header and payload text (forgery tests: duplicate keys, `crit`, odd `kid`s) with a current key. */
  sign(header: string, payload: string, options?: { kid?: string }): Promise<string>
  /** The published public keys. */
  publicJwks(): JWK[]
  setJwksMode(mode: JwksMode): void
  /** How `/.well-known/openid-configuration` answers: the same faults as the JWKS (`ok`: the real document). */
  setDiscoveryMode(mode: JwksMode): void
  /**
   * Adds a new current key; old keys stay published unless `retire` is true. With `publish: false` the key signs but is
   * not in the JWKS until `publish()` (a token that arrives before its key). Returns the new kid.
   */
  rotate(options?: { retire?: boolean; publish?: boolean }): Promise<string>
  publish(): void
  close(): Promise<void>
}

interface SigningKey {
  kid: string
  privateKey: CryptoKey
  publicJwk: JWK
  published: boolean
}

async function newSigningKey(index: number): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
  const kid = `local-${index}-${Date.now().toString(36)}`
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }
  return { kid, privateKey, publicJwk, published: true }
}

export async function startLocalIssuer(options: LocalIssuerOptions = {}): Promise<LocalIssuer> {
  const keys: SigningKey[] = [await newSigningKey(0)]
  let jwksFetches = 0
  let jwksMode: JwksMode = 'ok'
  let discoveryFetches = 0
  let discoveryMode: JwksMode = 'ok'
  const audience = options.audience ?? 'kafka-rest-gateway'
  let issuer = options.issuer ?? ''

  const mint = async (claims: JWTPayload = {}, mintOptions: MintOptions = {}) => {
    const key = keyOf(mintOptions.kid)
    const now = Math.floor(Date.now() / 1000)
    // Defaults first, so a test can override or drop (with `undefined`) any claim.
    const payload = {
      sub: 'demo-user',
      iss: issuer,
      aud: audience,
      iat: now,
      exp: now + (mintOptions.expiresIn ?? 3600),
    }
    return new SignJWT({ ...payload, ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
      .sign(key.privateKey)
  }

  const published = () => keys.filter((key) => key.published)
  const keyOf = (kid?: string) => {
    const key = kid ? keys.find((k) => k.kid === kid) : keys[keys.length - 1]
    if (!key) throw new Error(`no key ${kid}`)
    return key
  }

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (url.pathname === '/.well-known/jwks.json') {
      jwksFetches++
      return answerJwks(res, jwksMode, { keys: published().map((key) => key.publicJwk) })
    }
    if (url.pathname === '/.well-known/openid-configuration') {
      discoveryFetches++
      return answerJwks(res, discoveryMode, discoveryDocument(issuer, base, options.demoTokens === true))
    }
    if (options.demoTokens && url.pathname === '/token') {
      const kind = url.searchParams.get('kind') || 'valid'
      if (!Object.hasOwn(DEMO_KINDS, kind)) {
        return send(res, 400, { error: `unknown kind "${kind}": use one of ${Object.keys(DEMO_KINDS).join(', ')}` })
      }
      const subject = url.searchParams.get('sub') || 'demo-user'
      const token = await mint({ sub: subject, ...DEMO_KINDS[kind]?.(Math.floor(Date.now() / 1000)) })
      if (url.searchParams.get('format') === 'text') {
        res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' }).end(token)
        return
      }
      return send(res, 200, { access_token: token, token_type: 'Bearer', expires_in: 3600 })
    }
    send(res, 404, { error: 'not found' })
  })
  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve))
  const url = options.publicUrl?.replace(/\/$/, '') ?? `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const base = url
  issuer ||= url

  return {
    url,
    port: (server.address() as AddressInfo).port,
    jwksUrl: `${url}/.well-known/jwks.json`,
    issuer,
    audience,
    get jwksFetches() {
      return jwksFetches
    },
    get discoveryFetches() {
      return discoveryFetches
    },
    mint,
    async sign(header, payload, { kid } = {}) {
      const input = `${Buffer.from(header).toString('base64url')}.${Buffer.from(payload).toString('base64url')}`
      const algorithm = { name: 'ECDSA', hash: 'SHA-256' }
      // WebCrypto's ECDSA signature is r||s, exactly the JWS form.
      const signature = await crypto.subtle.sign(algorithm, keyOf(kid).privateKey, Buffer.from(input))
      return `${input}.${Buffer.from(signature).toString('base64url')}`
    },
    publicJwks: () => published().map((key) => ({ ...key.publicJwk })),
    setJwksMode(mode) {
      jwksMode = mode
    },
    setDiscoveryMode(mode) {
      discoveryMode = mode
    },
    publish() {
      for (const key of keys) key.published = true
    },
    async rotate({ retire = false, publish = true } = {}) {
      const key = { ...(await newSigningKey(keys.length)), published: publish }
      if (retire) keys.splice(0, keys.length)
      keys.push(key)
      return key.kid
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

/** The demo tokens `/token?kind=` mints: a valid one, and one for each common way a token is refused. */
export const DEMO_KINDS: Readonly<Record<string, (nowSeconds: number) => JWTPayload>> = {
  valid: () => ({}),
  // An hour off: far beyond any clock tolerance.
  expired: (now) => ({ iat: now - 7200, exp: now - 3600 }),
  'not-yet-valid': (now) => ({ nbf: now + 3600 }),
  'wrong-audience': () => ({ aud: 'another-service' }),
}

/** The OIDC discovery document: who the issuer is and where its keys are (what a gateway needs from it). */
function discoveryDocument(issuer: string, base: string, demoTokens: boolean): Record<string, unknown> {
  return {
    issuer,
    jwks_uri: `${base}/.well-known/jwks.json`,
    ...(demoTokens ? { token_endpoint: `${base}/token` } : {}),
    response_types_supported: ['token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['ES256'],
  }
}

function answerJwks(res: http.ServerResponse, mode: JwksMode, jwks: object): void {
  switch (mode) {
    case 'hang':
      return
    case 'reset':
      res.socket?.destroy()
      return
    case 'error':
      send(res, 500, { error: 'down' })
      return
    case 'garbage':
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('<html>oops')
      return
    case 'empty':
      send(res, 200, { keys: [] })
      return
    case 'redirect':
      res.writeHead(302, { Location: '/.well-known/jwks.json' }).end()
      return
    case 'oversized':
      // The real keys plus 1 MiB of padding, streamed without Content-Length.
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.write(JSON.stringify(jwks).slice(0, -1))
      res.end(`,"padding":"${'x'.repeat(1 << 20)}"}`)
      return
    default:
      send(res, 200, jwks)
  }
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  // The demo token endpoint is called from the example browser app on another origin.
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Access-Control-Allow-Origin': '*',
    'Cache-Control': 'no-store',
  })
  res.end(text)
}
