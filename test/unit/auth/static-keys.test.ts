// Static key sources: public keys as PEM or JWK (inline or file, with or without kid) and HMAC secrets.
import { exportJWK, exportPKCS8, exportSPKI, generateKeyPair, type JWK, jwtVerify, SignJWT } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { hmacKeySource, publicKeySource } from '../../../src/auth/static-keys.js'
import { configSchema, type IssuerConfig, type PublicKeySource } from '../../../src/config/schema.js'

let pem: string
let privatePem: string
let jwk: JWK & { kty: string }
let privateKey: CryptoKey
const files: Record<string, string> = {}
const readers = {
  env: { HMAC: 'x'.repeat(64) },
  readFile: (path: string) => {
    const text = files[path]
    if (text === undefined) throw Object.assign(new Error(`ENOENT ${path}`), { code: 'ENOENT' })
    return text
  },
}

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true })
  privateKey = pair.privateKey
  pem = await exportSPKI(pair.publicKey)
  privatePem = await exportPKCS8(pair.privateKey)
  jwk = (await exportJWK(pair.publicKey)) as JWK & { kty: string }
  files['key.pem'] = `${pem}\n`
  files['key.jwk'] = JSON.stringify({ ...jwk, kid: 'file-kid' })
  files['keys.jwks'] = JSON.stringify({ keys: [{ ...jwk, kid: 'set-kid' }] })
})

const sign = (kid?: string) =>
  new SignJWT({ sub: 'alice' }).setProtectedHeader(kid ? { alg: 'RS256', kid } : { alg: 'RS256' }).sign(privateKey)

async function verifies(sources: PublicKeySource[], kid?: string): Promise<boolean> {
  const source = publicKeySource(sources, readers, 'auth.issuers[0]')
  const token = await sign(kid)
  try {
    const [key] = await source.keysFor({ alg: 'RS256', kid })
    await jwtVerify(token, key as CryptoKey, { algorithms: ['RS256'] })
    return true
  } catch {
    return false
  }
}

describe('publicKeySource', () => {
  it.each<[string, () => PublicKeySource, string | undefined, boolean]>([
    ['inline PEM, token without kid', () => ({ pem }), undefined, true],
    ['inline PEM without kid, token with any kid', () => ({ pem }), 'idp-kid', true],
    ['inline PEM with a kid, token with that kid', () => ({ pem, kid: 'k1' }), 'k1', true],
    ['inline PEM with a kid, token with another kid', () => ({ pem, kid: 'k1' }), 'k2', false],
    ['inline JWK', () => ({ jwk: { ...jwk, kid: 'j1' } }), 'j1', true],
    ['PEM file', () => ({ file: 'key.pem' }), 'x', true],
    ['JWK file', () => ({ file: 'key.jwk' }), 'file-kid', true],
    ['JWKS file', () => ({ file: 'keys.jwks' }), 'set-kid', true],
    ['JWKS file, unknown kid', () => ({ file: 'keys.jwks' }), 'other', false],
  ])('%s → verifies: %s', async (_case, source, kid, expected) => {
    expect(await verifies([source()], kid)).toBe(expected)
  })

  it.each<[string, () => PublicKeySource, RegExp]>([
    ['a private key PEM', () => ({ pem: privatePem }), /publicKeys\[0\]: is a private key/],
    ['garbage PEM', () => ({ pem: 'not a key' }), /publicKeys\[0\]/],
    ['a private JWK', () => ({ jwk: { ...jwk, d: 'secret' } }), /is not a public RSA, EC or OKP signature key/],
    ['a symmetric JWK', () => ({ jwk: { kty: 'oct', k: 'c2VjcmV0' } }), /is not a public/],
    ['a missing file', () => ({ file: 'missing.pem' }), /publicKeys\[0\]: ENOENT missing.pem/],
  ])('refuses %s at start-up with a config error', (_case, source, message) => {
    expect(() => publicKeySource([source()], readers, 'auth.issuers[0]')).toThrow(message)
    expect(() => publicKeySource([source()], readers, 'auth.issuers[0]')).toThrow(/^config error: auth.issuers\[0\]/)
  })
})

describe('hmacKeySource', () => {
  const issuer = (secret: object, algorithms?: string[]) =>
    configSchema.shape.auth.parse({
      issuers: [{ issuer: 'i', audience: 'a', secret, algorithms }],
    }).issuers[0] as IssuerConfig

  it('verifies HS tokens with the secret, one imported key per algorithm', async () => {
    const source = hmacKeySource(issuer({ env: 'HMAC' }), readers, 'auth.issuers[0]')
    const secret = Buffer.from(readers.env.HMAC)
    for (const alg of ['HS256', 'HS512']) {
      const token = await new SignJWT({}).setProtectedHeader({ alg }).sign(secret)
      const [key] = await source.keysFor({ alg })
      await expect(jwtVerify(token, key as CryptoKey, { algorithms: [alg] })).resolves.toBeTruthy()
    }
  })

  it.each([
    [{ value: 'short' }, undefined, /secret must be at least 32 bytes for HS256/],
    [{ value: 'x'.repeat(40) }, ['HS256', 'HS384'], /secret must be at least 48 bytes for HS384/],
    [{ env: 'UNSET' }, undefined, /secret: environment variable UNSET is empty or not set/],
  ])('refuses %o (%o) at start-up', (secret, algorithms, message) => {
    expect(() => hmacKeySource(issuer(secret, algorithms), readers, 'auth.issuers[0]')).toThrow(message)
  })
})
