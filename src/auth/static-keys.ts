// Static key sources read once at start-up: public keys (PEM or JWK, inline or file) and HMAC secrets.
import { createPublicKey, type JsonWebKey } from 'node:crypto'
import type { JWK } from 'jose'
import * as errors from 'jose/errors'
import { ConfigError } from '../config/config-error.js'
import type { IssuerConfig, PublicKeySource } from '../config/schema.js'
import { readSecret, type SecretReaders } from '../config/secret-source.js'
import { isVerificationKey } from './jwks-fetch.js'
import { fixedKeySource, type KeySource, keyFinder } from './key-source.js'

/** RFC 7518 §3.2: an HMAC key at least as long as the hash output. */
const HMAC_MIN_BYTES: Readonly<Record<string, number>> = { HS256: 32, HS384: 48, HS512: 64 }

export function publicKeySource(sources: readonly PublicKeySource[], readers: SecretReaders, where: string): KeySource {
  const problems: string[] = []
  const jwks = sources.flatMap((source, index) => {
    try {
      return jwksOf(source, readers)
    } catch (error) {
      problems.push(`${where}.publicKeys[${index}]: ${(error as Error).message}`)
      return []
    }
  })
  if (problems.length > 0) throw new ConfigError(problems)
  const byKid = keyFinder({ keys: jwks })
  // Keys configured without a `kid` fit any token `kid`: a PEM key has none, while IdPs put one in every token.
  const kidless = jwks.filter((jwk) => jwk.kid === undefined)
  const anyKid = kidless.length > 0 ? keyFinder({ keys: kidless }) : undefined
  return fixedKeySource(async (header) => {
    try {
      return await byKid(header)
    } catch (error) {
      if (!anyKid || !(error instanceof errors.JWKSNoMatchingKey)) throw error
      return anyKid({ alg: header.alg })
    }
  })
}

function jwksOf(source: PublicKeySource, readers: SecretReaders): JWK[] {
  if ('jwk' in source) return [checked(source.jwk as JWK)]
  const text = 'pem' in source ? source.pem : readers.readFile(source.file)
  const kid = source.kid
  if (!text.trimStart().startsWith('{')) return [checked(pemToJwk(text), kid)]
  const parsed = JSON.parse(text) as JWK | { keys: JWK[] }
  const keys = 'keys' in parsed && Array.isArray(parsed.keys) ? parsed.keys : [parsed as JWK]
  return keys.map((jwk) => checked(jwk, kid))
}

function pemToJwk(pem: string): JWK {
  if (/PRIVATE KEY/.test(pem)) throw new Error('is a private key: configure the public key only')
  return createPublicKey(pem).export({ format: 'jwk' }) as JWK
}

/** A usable public signature key, or a clear error now rather than a failed verification later. */
function checked(jwk: JWK, kid?: string): JWK {
  if (!isVerificationKey(jwk)) throw new Error('is not a public RSA, EC or OKP signature key')
  createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' })
  return kid === undefined ? jwk : { ...jwk, kid }
}

export function hmacKeySource(issuer: IssuerConfig, readers: SecretReaders, where: string): KeySource {
  const secret = Buffer.from(readSecretOrFail(issuer, readers, where))
  for (const alg of issuer.algorithms) {
    const min = HMAC_MIN_BYTES[alg] ?? 0
    if (secret.length < min) throw new ConfigError([`${where}.secret must be at least ${min} bytes for ${alg}`])
  }
  // One imported key per algorithm, made on first use (WebCrypto import is asynchronous).
  const keys = new Map<string, Promise<CryptoKey>>()
  const keyFor = (alg: string) => {
    let key = keys.get(alg)
    if (!key) {
      const hash = `SHA-${alg.slice(2)}`
      key = crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash }, false, ['verify'])
      keys.set(alg, key)
    }
    return key
  }
  return fixedKeySource(async (header) => {
    // The issuer's algorithm allowlist (HS* only, enforced by the schema) was checked before this is called.
    if (!header.alg || !Object.hasOwn(HMAC_MIN_BYTES, header.alg)) throw new errors.JWKSNoMatchingKey()
    return [await keyFor(header.alg)]
  })
}

function readSecretOrFail(issuer: IssuerConfig, readers: SecretReaders, where: string): string {
  try {
    return readSecret(issuer.secret as NonNullable<IssuerConfig['secret']>, readers)
  } catch (error) {
    throw new ConfigError([`${where}.secret: ${(error as Error).message}`])
  }
}
