// RFC 6750 answers exactly (challenge, status, Kafka-style body) and the token sources: headers, query string, realm.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rawRequest } from '../support/http.js'
import { foreignKey, unsigned } from '../support/jwt-forge.js'
import { expectRefusal } from '../support/refusal.js'
import { type Stack, startStack } from '../support/stack.js'

const REALM = 'Bearer realm="kafka-rest-gateway"'
let stack: Stack

beforeAll(async () => {
  stack = await startStack()
})
afterAll(() => stack.close())

const mint = (claims: Record<string, unknown> = {}, expiresIn?: number) =>
  stack.issuer.mint({ sub: 'alice', ...claims }, { expiresIn })

interface Expected {
  status: number
  challenge: string
  body: { error_code: number; message: string; error: string }
}

const invalid = (reason: string): Expected => ({
  status: 401,
  challenge: `${REALM}, error="invalid_token", error_description="${reason}"`,
  body: { error_code: 40191, message: `The token is not valid: ${reason}`, error: 'TOKEN_INVALID' },
})

const cases: [name: string, headers: () => Promise<Record<string, string>>, expected: Expected][] = [
  [
    'no credentials',
    async () => ({}),
    {
      status: 401,
      challenge: REALM,
      body: { error_code: 40190, message: 'A bearer token is required', error: 'TOKEN_MISSING' },
    },
  ],
  [
    'another scheme',
    async () => ({ authorization: 'Basic YTpi' }),
    {
      status: 401,
      challenge: REALM,
      body: {
        error_code: 40190,
        message: 'A bearer token is required: the Authorization scheme must be Bearer',
        error: 'TOKEN_MISSING',
      },
    },
  ],
  ['a malformed token', async () => ({ authorization: 'Bearer x.y' }), invalid('malformed token')],
  [
    'an expired token',
    async () => ({ authorization: `Bearer ${await mint({}, -60)}` }),
    invalid('the token has expired'),
  ],
  [
    'a token not yet valid',
    async () => ({ authorization: `Bearer ${await mint({ nbf: Math.floor(Date.now() / 1000) + 300 })}` }),
    invalid('the token is not yet valid'),
  ],
  [
    'a wrong audience',
    async () => ({ authorization: `Bearer ${await mint({ aud: 'other' })}` }),
    invalid('wrong audience'),
  ],
  [
    'an unknown issuer',
    async () => ({ authorization: `Bearer ${await mint({ iss: 'https://other.example/' })}` }),
    invalid('unknown issuer'),
  ],
  [
    'a bad signature',
    async () => {
      const [header, claims] = (await mint()).split('.')
      return { authorization: `Bearer ${header}.${claims}.${'A'.repeat(86)}` }
    },
    invalid('bad signature'),
  ],
  [
    'an unknown signing key',
    async () => {
      const key = await foreignKey('foreign')
      const claims = { iss: stack.issuer.issuer, aud: stack.issuer.audience, sub: 'a', exp: 2e9 }
      return { authorization: `Bearer ${await key.sign({ alg: 'ES256', kid: key.kid }, claims)}` }
    },
    invalid('unknown signing key'),
  ],
  [
    'alg none',
    async () => ({ authorization: `Bearer ${unsigned({ alg: 'none' }, { iss: stack.issuer.issuer })}` }),
    invalid('algorithm not allowed'),
  ],
  [
    'two different tokens',
    async () => ({ authorization: `Bearer ${await mint()}`, 'x-auth-token': await mint({ sub: 'bob' }) }),
    {
      status: 400,
      challenge: `${REALM}, error="invalid_request"`,
      body: {
        error_code: 40091,
        message: 'Authorization and X-Auth-Token carry different tokens',
        error: 'TOKEN_CONFLICT',
      },
    },
  ],
]

describe('RFC 6750 answers', () => {
  it.each(cases)('%s', async (_name, headers, expected) => {
    stack.emulator.clearRequests()
    const res = await rawRequest(`${stack.url}/topics`, { headers: await headers() })
    expect(res.status).toBe(expected.status)
    expect(res.headers['www-authenticate']).toBe(expected.challenge)
    expect(res.headers['content-type']).toBe('application/json')
    expect(res.headers['x-gateway-error']).toBe(expected.body.error)
    expect(res.json()).toEqual({ ...expected.body, request_id: res.headers['x-request-id'] })
    expect(stack.emulator.requests).toEqual([])
  })

  it('a token in the URL: 401 invalid_request, TOKEN_IN_URL', async () => {
    const res = await rawRequest(`${stack.url}/topics?access_token=${await mint()}`)
    expect(res.status).toBe(401)
    expect(res.headers['www-authenticate']).toBe(
      `${REALM}, error="invalid_request", error_description="tokens in the URL are not accepted"`,
    )
    expect(res.json()).toEqual({
      error_code: 40192,
      message: 'Tokens in the URL are not accepted: send Authorization: Bearer',
      error: 'TOKEN_IN_URL',
      request_id: res.headers['x-request-id'],
    })
  })
})

describe('configured token sources and realm', () => {
  let custom: Stack
  beforeAll(async () => {
    custom = await startStack({
      configure: (input) => ({
        ...input,
        auth: { ...input.auth, realm: 'kafka', xAuthToken: false, queryToken: true },
      }),
    })
  })
  afterAll(() => custom.close())

  it('uses the configured realm', async () => {
    const res = await fetch(`${custom.url}/topics`)
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="kafka"')
  })

  it('ignores X-Auth-Token when switched off, yet never forwards it', async () => {
    const token = await custom.token()
    custom.emulator.clearRequests()
    const ignored = await fetch(`${custom.url}/topics`, { headers: { 'x-auth-token': token } })
    await expectRefusal(ignored, 'TOKEN_MISSING')
    expect(custom.emulator.requests).toEqual([])
    const res = await fetch(`${custom.url}/topics`, {
      headers: { authorization: `Bearer ${token}`, 'x-auth-token': 'junk' },
    })
    expect(res.status).toBe(200)
    expect(custom.emulator.requests[0]?.headers['x-auth-token']).toBe(custom.apiKey)
  })

  it('accepts ?access_token= when enabled and removes it before forwarding, other parameters intact', async () => {
    custom.emulator.clearRequests()
    const token = await custom.token()
    const res = await fetch(`${custom.url}/topics?b=2&access_token=${token}&a=%2F1`)
    expect(res.status).toBe(200)
    expect(custom.emulator.requests.map((request) => request.url)).toEqual(['/topics?b=2&a=%2F1'])
  })

  it('refuses a query token that differs from the header token (400)', async () => {
    const res = await fetch(`${custom.url}/topics?access_token=${await custom.token('bob')}`, {
      headers: { authorization: `Bearer ${await custom.token()}` },
    })
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="kafka", error="invalid_request"')
    await expectRefusal(res, 'TOKEN_CONFLICT')
  })
})

describe('keys never loaded (IdP down since start)', () => {
  let down: Stack
  beforeAll(async () => {
    down = await startStack({
      configure: (input, { issuer }) => {
        issuer.setJwksMode('error')
        return input
      },
    })
  })
  afterAll(() => down.close())

  it('answers 503 KEYS_UNAVAILABLE (the token is not judged), and /readyz says why', async () => {
    const res = await rawRequest(`${down.url}/topics`, { headers: { authorization: `Bearer ${await down.token()}` } })
    expect(res.status).toBe(503)
    expect(res.json()).toEqual({
      error_code: 50391,
      message: 'The signing keys of this issuer could not be loaded yet',
      error: 'KEYS_UNAVAILABLE',
      request_id: res.headers['x-request-id'],
    })
    expect(down.emulator.requests).toEqual([])
    const ready = await fetch(`${down.url}/readyz`)
    expect(ready.status).toBe(503)
    expect(await ready.json()).toMatchObject({ reasons: ['issuers: signing keys not loaded'] })
  })
})
