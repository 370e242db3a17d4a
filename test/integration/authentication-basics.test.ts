// Refusals of the foundation's authentication: status, WWW-Authenticate, JSON body, and nothing reaching upstream.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LocalIssuer, startLocalIssuer } from '../../src/dev/local-issuer.js'
import { type Stack, startStack } from '../support/stack.js'

let stack: Stack
let stranger: LocalIssuer

beforeAll(async () => {
  stack = await startStack()
  // Same `iss` as the trusted issuer, different signing key.
  stranger = await startLocalIssuer({ issuer: stack.issuer.issuer })
})
afterAll(async () => {
  await stack.close()
  await stranger.close()
})

const realm = 'Bearer realm="kafka-rest-gateway"'

describe('refused tokens', () => {
  it.each([
    { case: 'no token', headers: async () => ({}), challenge: realm, error: 'TOKEN_MISSING' },
    {
      case: 'a token signed by another key',
      headers: async () => ({ authorization: `Bearer ${await stranger.mint({ sub: 'mallory' })}` }),
      challenge: `${realm}, error="invalid_token", error_description="no matching signing key"`,
      error: 'TOKEN_INVALID',
    },
    {
      case: 'an expired token',
      headers: async () => ({ authorization: `Bearer ${await stack.issuer.mint({ sub: 'a' }, { expiresIn: -120 })}` }),
      challenge: `${realm}, error="invalid_token", error_description="the token has expired"`,
      error: 'TOKEN_INVALID',
    },
    {
      case: 'a token for another audience',
      headers: async () => ({ authorization: `Bearer ${await stack.issuer.mint({ sub: 'a', aud: 'someone-else' })}` }),
      challenge: `${realm}, error="invalid_token", error_description="wrong audience"`,
      error: 'TOKEN_INVALID',
    },
    {
      case: 'garbage in X-Auth-Token',
      headers: async () => ({ 'x-auth-token': 'not-a-jwt' }),
      challenge: `${realm}, error="invalid_token", error_description="malformed token"`,
      error: 'TOKEN_INVALID',
    },
  ])('refuses $case with 401 and reaches nothing upstream', async ({ headers, challenge, error }) => {
    stack.emulator.clearRequests()
    const res = await fetch(`${stack.url}/topics`, { headers: await headers() })
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe(challenge)
    expect(res.headers.get('content-type')).toBe('application/json')
    const body = (await res.json()) as Record<string, unknown>
    expect(body).toMatchObject({ error, request_id: res.headers.get('x-request-id') })
    expect(typeof body.error_code).toBe('number')
    expect(typeof body.message).toBe('string')
    expect(stack.emulator.requests).toHaveLength(0)
  })
})
