// parseToken: shape checks made before any issuer or key is touched (size, parts, base64url, JSON, crit).
import { describe, expect, it } from 'vitest'
import { parseToken } from '../../../src/auth/parse-token.js'

const part = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')
const header = part({ alg: 'ES256', kid: 'k1' })
const claims = part({ iss: 'https://idp.example/', sub: 'alice' })
const MAX = 8192

describe('parseToken', () => {
  it('accepts a compact JWS and returns its header, claims and unverified issuer', () => {
    const result = parseToken(`${header}.${claims}.c2ln`, MAX)
    expect(result).toEqual({
      ok: true,
      token: {
        header: { alg: 'ES256', kid: 'k1' },
        claims: { iss: 'https://idp.example/', sub: 'alice' },
        issuer: 'https://idp.example/',
      },
    })
  })

  it.each([
    ['over the size limit', `${header}.${claims}.${'A'.repeat(MAX)}`, 'the token is too large'],
    ['a JWE (5 parts)', 'a.b.c.d.e', 'encrypted tokens (JWE) are not accepted'],
    ['empty', '', 'malformed token'],
    ['not a JWT', 'not-a-jwt', 'malformed token'],
    ['2 parts', `${header}.${claims}`, 'malformed token'],
    ['4 parts', `${header}.${claims}.c2ln.c2ln`, 'malformed token'],
    ['non-base64url header', `${header}+/.${claims}.c2ln`, 'malformed token'],
    ['padding', `${header}==.${claims}.c2ln`, 'malformed token'],
    ['a non-base64url signature', `${header}.${claims}.s!g`, 'malformed token'],
    ['a header that is not JSON', `${part('{alg')}.${claims}.c2ln`, 'malformed token'],
    ['a header that is an array', `${part(['ES256'])}.${claims}.c2ln`, 'malformed token'],
    ['a header without alg', `${part({ kid: 'k' })}.${claims}.c2ln`, 'malformed token'],
    [
      'a header with invalid UTF-8',
      `${Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url')}.${claims}.c2ln`,
      'malformed token',
    ],
    ['a numeric kid', `${part({ alg: 'ES256', kid: 7 })}.${claims}.c2ln`, 'malformed token'],
    [
      'crit with an unknown extension',
      `${part({ alg: 'ES256', crit: ['exp'], exp: 1 })}.${claims}.c2ln`,
      'unsupported critical header',
    ],
    [
      'b64: false',
      `${part({ alg: 'ES256', b64: false, crit: ['b64'] })}.${claims}.c2ln`,
      'unsupported critical header',
    ],
    ['claims that are not JSON', `${header}.${part('nope')}.c2ln`, 'malformed token'],
    ['a nested JWT as payload', `${header}.${part(`${header}.${claims}.c2ln`)}.c2ln`, 'malformed token'],
    ['no iss', `${header}.${part({ sub: 'alice' })}.c2ln`, 'unknown issuer'],
    ['a non-string iss', `${header}.${part({ iss: 1 })}.c2ln`, 'unknown issuer'],
  ])('refuses %s', (_case, token, reason) => {
    expect(parseToken(token, MAX)).toEqual({ ok: false, reason })
  })

  it('reads duplicate JSON keys last-wins, exactly as jose will when it verifies', () => {
    const duplicate = Buffer.from('{"alg":"ES256","alg":"none"}').toString('base64url')
    const result = parseToken(`${duplicate}.${part('{"iss":"a","iss":"b"}')}.`, MAX)
    expect(result).toMatchObject({ ok: true, token: { header: { alg: 'none' }, issuer: 'b' } })
  })

  it('keeps an empty signature for the algorithm check to refuse (alg none)', () => {
    expect(parseToken(`${part({ alg: 'none' })}.${claims}.`, MAX)).toMatchObject({ ok: true })
  })
})
