// The remote JWKS key source against a real JWKS server: cooldown, single flight, rotation, outages, size and time caps.
import { errors } from 'jose'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { isVerificationKey } from '../../../src/auth/jwks-fetch.js'
import type { KeySource } from '../../../src/auth/key-source.js'
import { createRemoteKeySource } from '../../../src/auth/remote-key-source.js'
import { type JwksMode, type LocalIssuer, startLocalIssuer } from '../../../src/dev/local-issuer.js'
import { GatewayError } from '../../../src/errors/gateway-error.js'
import { eventually } from '../../support/eventually.js'

const COOLDOWN_MS = 30_000
let idp: LocalIssuer
let source: KeySource
let clock: number
let failures: string[]

function start(overrides: { timeoutMs?: number; refreshMs?: number } = {}): KeySource {
  source = createRemoteKeySource({
    url: idp.jwksUrl,
    timeoutMs: overrides.timeoutMs ?? 2000,
    maxBytes: 64 * 1024,
    cooldownMs: COOLDOWN_MS,
    refreshMs: overrides.refreshMs ?? 300_000,
    now: () => clock,
    onError: (error) => failures.push(error.message),
  })
  return source
}

const header = (kid: string) => ({ alg: 'ES256', kid })
const currentKid = () => idp.publicJwks().at(-1)?.kid as string

beforeEach(async () => {
  idp = await startLocalIssuer()
  clock = Date.now()
  failures = []
})
afterEach(async () => {
  source?.close()
  await idp.close()
})

describe('remote key source', () => {
  it('is not ready until the first key set is loaded, then finds keys by kid without fetching again', async () => {
    start()
    expect(source.isReady()).toBe(false)
    await source.warmUp()
    expect(source.isReady()).toBe(true)
    expect(await source.keysFor(header(currentKid()))).toHaveLength(1)
    expect(await source.keysFor(header(currentKid()))).toHaveLength(1)
    expect(idp.jwksFetches).toBe(1)
  })

  it('refetches for an unknown kid at most once per cooldown, one fetch for a concurrent flood', async () => {
    start()
    await source.warmUp()
    // Within the cooldown of the first fetch: no fetch at all.
    await expect(source.keysFor(header('nope'))).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey)
    expect(idp.jwksFetches).toBe(1)
    clock += COOLDOWN_MS
    const flood = Array.from({ length: 200 }, (_, i) => source.keysFor(header(`random-${i}`)))
    const results = await Promise.allSettled(flood)
    expect(results.every((result) => result.status === 'rejected')).toBe(true)
    expect(idp.jwksFetches).toBe(2)
    clock += COOLDOWN_MS - 1
    await expect(source.keysFor(header('nope'))).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey)
    expect(idp.jwksFetches).toBe(2)
  })

  it('picks up a rotated key after the cooldown, keeps the old one while published, and bumps the revision', async () => {
    start()
    await source.warmUp()
    const oldKid = currentKid()
    const before = source.revision
    const newKid = await idp.rotate()
    clock += COOLDOWN_MS
    expect(await source.keysFor(header(newKid))).toHaveLength(1)
    expect(await source.keysFor(header(oldKid))).toHaveLength(1)
    expect(source.revision).toBe(before + 1)
    await idp.rotate({ retire: true })
    clock += COOLDOWN_MS
    await expect(source.keysFor(header('unknown-kid-triggers-refetch'))).rejects.toThrow()
    await expect(source.keysFor(header(oldKid))).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey)
    expect(source.revision).toBe(before + 2)
  })

  it.each<[JwksMode, RegExp]>([
    ['error', /HTTP 500/],
    ['garbage', /not JSON/],
    ['empty', /no usable/],
    ['oversized', /larger than 65536 bytes/],
    ['reset', /JWKS request failed: /],
    ['hang', /JWKS request failed: .*timeout/],
    ['redirect', /JWKS request failed: unexpected redirect/],
  ])('keeps the last good key set when the IdP answers %s', async (mode, failure) => {
    start({ timeoutMs: 300 })
    await source.warmUp()
    const kid = currentKid()
    const revision = source.revision
    idp.setJwksMode(mode)
    clock += COOLDOWN_MS
    await expect(source.keysFor(header('unknown'))).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey)
    expect(failures).toEqual([expect.stringMatching(failure)])
    expect(await source.keysFor(header(kid))).toHaveLength(1)
    expect(source.revision).toBe(revision)
    expect(source.isReady()).toBe(true)
  })

  it('answers KEYS_UNAVAILABLE while no key set was ever loaded, and recovers when the IdP does', async () => {
    idp.setJwksMode('error')
    start()
    await source.warmUp()
    expect(source.isReady()).toBe(false)
    const refused = await source.keysFor(header('any')).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(GatewayError)
    expect((refused as GatewayError).code).toBe('KEYS_UNAVAILABLE')
    idp.setJwksMode('ok')
    clock += COOLDOWN_MS
    expect(await source.keysFor(header(currentKid()))).toHaveLength(1)
    expect(source.isReady()).toBe(true)
  })

  it('refreshes periodically after the first load', async () => {
    start({ refreshMs: 20 })
    await source.warmUp()
    await eventually(() => idp.jwksFetches >= 3)
  })

  it('close() aborts a fetch in flight and stops refreshing', async () => {
    idp.setJwksMode('hang')
    start({ timeoutMs: 60_000 })
    const warming = source.warmUp()
    await eventually(() => idp.jwksFetches === 1)
    source.close()
    await warming
    expect(failures).toEqual([])
    expect(source.isReady()).toBe(false)
  })
})

describe('isVerificationKey', () => {
  it.each([
    [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y' }, true],
    [{ kty: 'RSA', n: 'n', e: 'AQAB', use: 'sig' }, true],
    [{ kty: 'OKP', crv: 'Ed25519', x: 'x' }, true],
    [{ kty: 'RSA', n: 'n', e: 'AQAB', use: 'enc' }, false],
    [{ kty: 'oct', k: 'c2VjcmV0' }, false],
    [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'private' }, false],
    [{ kty: 'RSA', n: 'n', e: 'AQAB', p: 'private' }, false],
    ['not an object', false],
    [null, false],
  ])('%o → %s', (jwk, usable) => {
    expect(isVerificationKey(jwk)).toBe(usable)
  })
})
