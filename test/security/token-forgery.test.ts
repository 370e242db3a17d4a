// Hostile tokens and credentials: every one is refused with the RFC 6750 answer, and nothing reaches upstream.

import { createPublicKey, type JsonWebKey } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LocalIssuer, startLocalIssuer } from '../../src/dev/local-issuer.js'
import { catalogue, type ErrorCode } from '../../src/errors/catalogue.js'
import { rawRequest } from '../support/http.js'
import {
  type AttackerServer,
  b64url,
  type ForeignKey,
  foreignKey,
  hs256,
  startAttackerServer,
  unsigned,
} from '../support/jwt-forge.js'
import { captureLogs } from '../support/log-capture.js'
import { expectRawRefusal } from '../support/refusal.js'
import { type Stack, startStack } from '../support/stack.js'

const NOW = Math.floor(Date.now() / 1000)
const REALM = 'Bearer realm="kafka-rest-gateway"'
const logs = captureLogs('info')
let stack: Stack
let stranger: LocalIssuer
let attacker: ForeignKey
let attackerServer: AttackerServer
let kid: string

beforeAll(async () => {
  attacker = await foreignKey('attacker-kid')
  attackerServer = await startAttackerServer([attacker.publicJwk])
  stack = await startStack({
    // A strict issuer: ES256 only, `typ` JWT, `iat` required. The clock stands still: no cooldown ever lapses here.
    configure: (input) => ({
      ...input,
      auth: {
        ...input.auth,
        issuers: input.auth.issuers.map((issuer) => ({
          ...issuer,
          algorithms: ['ES256'],
          typ: 'JWT',
          requiredClaims: ['iat'],
        })),
      },
    }),
    deps: { logger: logs.logger, now: () => NOW * 1000 },
  })
  stranger = await startLocalIssuer({ issuer: stack.issuer.issuer })
  kid = stack.issuer.publicJwks()[0]?.kid as string
})
afterAll(async () => {
  await stack.close()
  await stranger.close()
  await attackerServer.close()
})

const claims = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    iss: stack.issuer.issuer,
    aud: stack.issuer.audience,
    sub: 'mallory',
    iat: NOW,
    exp: NOW + 600,
    ...overrides,
  })
const header = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({ alg: 'ES256', kid, typ: 'JWT', ...overrides })
/** Signed by the trusted issuer's own key, over exactly these bytes. */
const signed = (headerText: string, claimsText = claims()) => stack.issuer.sign(headerText, claimsText)
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
const publicPem = () =>
  createPublicKey({ key: stack.issuer.publicJwks()[0] as JsonWebKey, format: 'jwk' }).export({
    type: 'spki',
    format: 'pem',
  })

const sig = (headerOverrides: Record<string, unknown> = {}, claimOverrides: Record<string, unknown> = {}) =>
  signed(header(headerOverrides), claims(claimOverrides))
const viaAttacker = (headerOverrides: Record<string, unknown>) =>
  attacker.sign(header({ kid: attacker.kid, ...headerOverrides }), claims())
const publicJwkText = () => JSON.stringify(stack.issuer.publicJwks()[0])

/** Bearer tokens refused with 401 `invalid_token` and this `error_description`. */
const tokenCases: [name: string, token: () => string | Promise<string>, reason: string][] = [
  ['empty', () => '', 'malformed token'],
  ['not a JWT', () => 'opaque-access-token', 'malformed token'],
  ['2 parts', () => `${b64url(header())}.${b64url(claims())}`, 'malformed token'],
  ['4 parts', async () => `${await sig()}.AAAA`, 'malformed token'],
  ['not base64url', () => 'e30=.e30=.e30=', 'malformed token'],
  ['alg none', () => unsigned(header({ alg: 'none' }), claims()), 'algorithm not allowed'],
  ['alg NONE', () => unsigned(header({ alg: 'NONE' }), claims()), 'algorithm not allowed'],
  [
    'HS256 keyed with our public PEM',
    () => hs256(header({ alg: 'HS256' }), claims(), publicPem()),
    'algorithm not allowed',
  ],
  [
    'HS256 keyed with our public JWK',
    () => hs256(header({ alg: 'HS256' }), claims(), publicJwkText()),
    'algorithm not allowed',
  ],
  ['RS256 where only ES256 is allowed', () => sig({ alg: 'RS256' }), 'algorithm not allowed'],
  ['ES384 (another curve)', () => sig({ alg: 'ES384' }), 'algorithm not allowed'],
  ['a foreign key under our kid', () => attacker.sign(header(), claims()), 'bad signature'],
  ['a stranger issuer using our iss', () => stranger.mint({ sub: 'mallory' }), 'unknown signing key'],
  ['unknown kid', () => sig({ kid: 'no-such-kid' }), 'unknown signing key'],
  ['path traversal kid', () => sig({ kid: '../../../../etc/passwd' }), 'unknown signing key'],
  ['SQL kid', () => sig({ kid: "' OR 1=1 --" }), 'unknown signing key'],
  ['5 KB kid', () => sig({ kid: 'k'.repeat(5000) }), 'unknown signing key'],
  ['10 KB kid', () => sig({ kid: 'k'.repeat(10_000) }), 'the token is too large'],
  ['numeric kid', () => sig({ kid: 7 }), 'malformed token'],
  ['jku to the attacker JWKS', () => viaAttacker({ jku: `${attackerServer.url}/jwks.json` }), 'unknown signing key'],
  ['x5u to an attacker URL', () => viaAttacker({ x5u: `${attackerServer.url}/cert.pem` }), 'unknown signing key'],
  ['embedded attacker jwk', () => viaAttacker({ jwk: attacker.publicJwk }), 'unknown signing key'],
  ['embedded jwk under our kid', () => viaAttacker({ kid, jwk: attacker.publicJwk }), 'bad signature'],
  ['embedded x5c', () => viaAttacker({ x5c: ['MIIBszCCAVmgAwIBAgIUQ'] }), 'unknown signing key'],
  ['crit: unknown extension', () => sig({ crit: ['urn:evil'], 'urn:evil': 1 }), 'unsupported critical header'],
  ['b64: false', () => sig({ b64: false, crit: ['b64'] }), 'unsupported critical header'],
  ['expired beyond tolerance', () => sig({}, { exp: NOW - 31 }), 'the token has expired'],
  ['nbf beyond tolerance', () => sig({}, { nbf: NOW + 31 }), 'the token is not yet valid'],
  ['iat in the future', () => sig({}, { iat: NOW + 120 }), 'the token is not yet valid'],
  ['no exp', () => sig({}, { exp: undefined }), 'missing claim exp'],
  ['string exp', () => sig({}, { exp: 'never' }), 'invalid claim exp'],
  ['no sub', () => sig({}, { sub: undefined }), 'missing claim sub'],
  ['numeric sub', () => sig({}, { sub: 42 }), 'invalid claim sub'],
  ['no configured required claim (iat)', () => sig({}, { iat: undefined }), 'missing claim iat'],
  ['unknown iss', () => sig({}, { iss: 'https://evil.example/' }), 'unknown issuer'],
  ['no iss', () => sig({}, { iss: undefined }), 'unknown issuer'],
  ['wrong aud', () => sig({}, { aud: 'other-api' }), 'wrong audience'],
  ['aud array without ours', () => sig({}, { aud: ['a', 'b'] }), 'wrong audience'],
  ['no aud', () => sig({}, { aud: undefined }), 'missing claim aud'],
  ['typ at+jwt where JWT is expected', () => sig({ typ: 'at+jwt' }), 'wrong token type'],
  ['no typ', () => sig({ typ: undefined }), 'wrong token type'],
  ['9 KB token', () => sig({}, { pad: 'x'.repeat(9000) }), 'the token is too large'],
  [
    'JWE (5 parts)',
    () => `${b64url({ alg: 'RSA-OAEP', enc: 'A256GCM' })}.a.b.c.d`,
    'encrypted tokens (JWE) are not accepted',
  ],
  ['nested JWT', async () => signed(header({ cty: 'JWT' }), await sig()), 'malformed token'],
  [
    'duplicate alg, none last',
    () => signed(`{"alg":"ES256","kid":"${kid}","typ":"JWT","alg":"none"}`),
    'algorithm not allowed',
  ],
  [
    'duplicate iss, foreign last',
    () => signed(header(), claims().replace(/}$/, ',"iss":"https://evil.example/"}')),
    'unknown issuer',
  ],
]

interface Answer {
  status: number
  error: ErrorCode
  challenge: string
  /** The body's message, when it carries the reason. */
  message?: string
}

const invalidToken = (reason: string): Answer => ({
  status: 401,
  error: 'TOKEN_INVALID',
  challenge: `${REALM}, error="invalid_token", error_description="${reason}"`,
  message: `The token is not valid: ${reason}`,
})
const missing: Answer = { status: 401, error: 'TOKEN_MISSING', challenge: REALM }
const conflict: Answer = { status: 400, error: 'TOKEN_CONFLICT', challenge: `${REALM}, error="invalid_request"` }

/** Requests refused for where (or whether) the credential is, not for what it says. */
const requestCases: [name: string, request: () => Promise<[string, Record<string, string>]>, Answer][] = [
  ['no credentials', async () => ['/topics', {}], missing],
  ['Basic scheme', async () => ['/topics', { authorization: 'Basic bWFsbG9yeTpzZWNyZXQ=' }], missing],
  ['another scheme', async () => ['/topics', { authorization: 'Negotiate abc' }], missing],
  ['garbage in X-Auth-Token', async () => ['/topics', { 'x-auth-token': '%%%' }], invalidToken('malformed token')],
  [
    'Authorization and X-Auth-Token differ',
    async () => ['/topics', { ...bearer(await sig()), 'x-auth-token': await sig({}, { sub: 'bob' }) }],
    conflict,
  ],
  [
    'two different X-Auth-Token values',
    async () => ['/topics', { 'x-auth-token': `${await sig()}, ${await sig({}, { sub: 'bob' })}` }],
    conflict,
  ],
  [
    'token in the query string',
    async () => [`/topics?access_token=${await sig()}`, {}],
    {
      status: 401,
      error: 'TOKEN_IN_URL',
      challenge: `${REALM}, error="invalid_request", error_description="tokens in the URL are not accepted"`,
    },
  ],
]

async function expectRefused(path: string, headers: Record<string, string>, answer: Answer): Promise<void> {
  stack.emulator.clearRequests()
  const res = await rawRequest(`${stack.url}${path}`, { headers })
  expect(res.status).toBe(answer.status)
  expect(res.headers['www-authenticate']).toBe(answer.challenge)
  const body = res.json<Record<string, unknown>>()
  expect(body).toMatchObject({
    error: answer.error,
    error_code: catalogue[answer.error].errorCode,
    request_id: res.headers['x-request-id'],
  })
  if (answer.message) expect(body.message).toBe(answer.message)
  expect(stack.emulator.requests).toEqual([])
}

describe('refused tokens', () => {
  it.each(tokenCases)('%s → 401 invalid_token "%s", nothing upstream', async (_name, token, reason) => {
    await expectRefused('/topics', bearer(await token()), invalidToken(reason))
  })

  it.each(requestCases)('%s → refused, nothing upstream', async (_name, request, answer) => {
    const [path, headers] = await request()
    await expectRefused(path, headers, answer)
  })

  it('a 100 KB token is refused by the HTTP parser (431) before any stage runs', async () => {
    stack.emulator.clearRequests()
    const res = await rawRequest(`${stack.url}/topics`, { headers: bearer(`${'a'.repeat(100_000)}.b.c`) })
    expectRawRefusal(res, 'HEADERS_TOO_LARGE')
    expect(stack.emulator.requests).toEqual([])
  })

  it('no refusal above caused a key fetch: never from the attacker, never a refetch from the IdP', () => {
    expect(attackerServer.requests).toBe(0)
    expect(stack.issuer.jwksFetches).toBe(1)
  })
})

describe('accepted tokens', () => {
  it.each([
    ['exp within the clock tolerance', () => signed(header(), claims({ exp: NOW - 10 }))],
    ['nbf within the clock tolerance', () => signed(header(), claims({ nbf: NOW + 10 }))],
    ['aud array with ours', () => signed(header(), claims({ aud: ['other', stack.issuer.audience] }))],
    ['typ in the media-type form', () => signed(header({ typ: 'application/JWT' }))],
    [
      'duplicate alg, ES256 last (what is checked is what is verified)',
      () => signed(`{"alg":"none","kid":"${kid}","typ":"JWT","alg":"ES256"}`),
    ],
  ])('%s', async (_case, token) => {
    const res = await fetch(`${stack.url}/topics`, { headers: bearer(await token()) })
    expect(res.status).toBe(200)
  })

  it('duplicate claims resolve last-wins, as verified (subject alice, not mallory)', async () => {
    const token = await signed(header(), claims().replace(/}$/, ',"sub":"alice"}'))
    const res = await fetch(`${stack.url}/topics`, { headers: bearer(token) })
    expect(res.status).toBe(200)
    const line = logs.accessLine(res.headers.get('x-request-id'))
    expect(line?.subject).toBe('alice')
  })

  it.each([
    ['Authorization: Bearer', (token: string) => bearer(token)],
    ['Authorization: bearer (any case)', (token: string) => ({ authorization: `bEARER ${token}` })],
    ['X-Auth-Token', (token: string) => ({ 'x-auth-token': token })],
    ['both, same token', (token: string) => ({ ...bearer(token), 'x-auth-token': token })],
    ['X-Auth-Token spelt in odd case', (token: string) => ({ 'X-AUTH-token': token })],
    ['Bearer, with a Basic Proxy-Authorization', (token: string) => bearer(token)],
  ])(
    'via %s: upstream gets only the API key, never the JWT, Authorization, Proxy-Authorization or cookies',
    async (_case, headersFor) => {
      stack.emulator.clearRequests()
      // Claims from the same frozen clock as the gateway's: the token stays valid however long the run takes.
      const token = await sig()
      const res = await rawRequest(`${stack.url}/topics`, {
        headers: { ...headersFor(token), cookie: 'session=s3cret', 'proxy-authorization': 'Basic cHJveHk6czNjcmV0' },
      })
      expect(res.status).toBe(200)
      const [upstream] = stack.emulator.requests
      expect(upstream?.headers['x-auth-token']).toBe(stack.apiKey)
      expect(upstream?.headers.authorization).toBeUndefined()
      expect(upstream?.headers['proxy-authorization']).toBeUndefined()
      expect(upstream?.headers.cookie).toBeUndefined()
      expect(JSON.stringify(upstream?.headers)).not.toContain(token.split('.')[2])
    },
  )
})
