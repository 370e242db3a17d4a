// Several issuers side by side (JWKS, HMAC secret, static PEM key): each verifies its own tokens and nobody else's.
import { exportSPKI, generateKeyPair, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { captureLogs } from '../support/log-capture.js'
import { type Stack, startStack } from '../support/stack.js'

const HMAC_ISSUER = 'https://hmac.example/'
const PEM_ISSUER = 'https://pem.example/'
const SECRET = 'shared-secret-of-at-least-32-bytes!!'
const logs = captureLogs('info')
let stack: Stack
let pemKey: CryptoKey

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true })
  pemKey = pair.privateKey
  const pem = await exportSPKI(pair.publicKey)
  stack = await startStack({
    configure: (input) => ({
      ...input,
      auth: {
        ...input.auth,
        issuers: [
          ...input.auth.issuers,
          {
            issuer: HMAC_ISSUER,
            audience: ['kafka-a', 'kafka-b'],
            secret: { env: 'HMAC_SECRET' },
            tenantClaim: 'org',
            subjectClaim: 'client_id',
          },
          { issuer: PEM_ISSUER, audience: 'kafka', publicKeys: [{ file: 'idp.pem' }], algorithms: ['RS256'] },
        ],
      },
    }),
    deps: {
      logger: logs.logger,
      env: { HMAC_SECRET: SECRET },
      readFile: (path) => {
        if (path === 'idp.pem') return pem
        throw new Error(`unexpected read of ${path}`)
      },
    },
  })
})
afterAll(() => stack.close())

const inAnHour = () => Math.floor(Date.now() / 1000) + 3600
const jwksToken = (claims: Record<string, unknown> = {}) => stack.issuer.mint({ sub: 'alice', ...claims })
const hmacToken = (claims: Record<string, unknown> = {}, secret = SECRET) =>
  new SignJWT({ iss: HMAC_ISSUER, aud: 'kafka-b', client_id: 'svc-7', org: 'acme', exp: inAnHour(), ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(Buffer.from(secret))
const pemToken = (claims: Record<string, unknown> = {}, key?: CryptoKey) =>
  new SignJWT({ iss: PEM_ISSUER, aud: 'kafka', sub: 'carol', exp: inAnHour(), ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'whatever-the-idp-says' })
    .sign(key ?? pemKey)

async function call(token: string): Promise<{ status: number; reason?: string; line?: Record<string, unknown> }> {
  const res = await fetch(`${stack.url}/topics`, { headers: { authorization: `Bearer ${token}` } })
  await res.arrayBuffer()
  const reason = /error_description="([^"]*)"/.exec(res.headers.get('www-authenticate') ?? '')?.[1]
  const line = logs.accessLine(res.headers.get('x-request-id'))
  return { status: res.status, reason, line }
}

describe('two issuers side by side', () => {
  it.each([
    ['the JWKS issuer', () => jwksToken(), { subject: 'alice', tenant: undefined }],
    [
      'the HMAC issuer (subject and tenant from configured claims)',
      () => hmacToken(),
      { subject: 'svc-7', tenant: 'acme' },
    ],
    [
      'the static PEM issuer (key without kid fits any token kid)',
      () => pemToken(),
      { subject: 'carol', tenant: undefined },
    ],
    ['the HMAC issuer, its other audience', () => hmacToken({ aud: 'kafka-a' }), { subject: 'svc-7', tenant: 'acme' }],
  ])('accepts a token of %s', async (_name, token, identity) => {
    const { status, line } = await call(await token())
    expect(status).toBe(200)
    expect({ subject: line?.subject, tenant: line?.tenant }).toEqual(identity)
  })

  it.each([
    ['iss = JWKS issuer, signed with the HMAC secret', () => hs256As(stack.issuer.issuer), 'algorithm not allowed'],
    [
      'iss = HMAC issuer, signed with the JWKS issuer key',
      () => jwksToken({ iss: HMAC_ISSUER, aud: 'kafka-a' }),
      'algorithm not allowed',
    ],
    [
      'iss = PEM issuer, signed with the JWKS issuer key',
      () => jwksToken({ iss: PEM_ISSUER, aud: 'kafka' }),
      'algorithm not allowed',
    ],
    ['iss = HMAC issuer, another secret', () => hmacToken({}, 'another-secret-of-at-least-32-bytes!'), 'bad signature'],
    [
      'iss = PEM issuer, another RSA key',
      async () => pemToken({}, (await generateKeyPair('RS256')).privateKey),
      'bad signature',
    ],
    ['iss = HMAC issuer, audience of the PEM issuer', () => hmacToken({ aud: 'kafka' }), 'wrong audience'],
    ['the HMAC token without its subject claim', () => hmacToken({ client_id: undefined }), 'missing claim client_id'],
  ])('refuses %s', async (_name, token, reason) => {
    stack.emulator.clearRequests()
    expect(await call(await token())).toMatchObject({ status: 401, reason })
    expect(stack.emulator.requests).toEqual([])
  })
})

/** A token claiming the JWKS issuer, HMAC-signed with the other issuer's secret. */
function hs256As(issuer: string): Promise<string> {
  return new SignJWT({ iss: issuer, aud: stack.issuer.audience, sub: 'mallory', exp: inAnHour() })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(Buffer.from(SECRET))
}
