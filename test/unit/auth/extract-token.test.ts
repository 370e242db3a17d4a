// Where tokens come from: Authorization Bearer, X-Auth-Token, the query string, and what is refused or stripped.
import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { createTokenExtractor } from '../../../src/auth/extract-token.js'
import { takeQueryTokens } from '../../../src/auth/query-token.js'

type Req = IncomingMessage & { originalUrl?: string }
const request = (headers: Record<string, string>, url = '/topics'): Req => ({ headers, url }) as unknown as Req
const extract = createTokenExtractor({ xAuthToken: true, queryToken: false })

describe('token extraction from headers', () => {
  it.each([
    [{}, { kind: 'none', otherScheme: false }],
    [{ authorization: 'Bearer abc' }, { kind: 'token', token: 'abc' }],
    [{ authorization: 'bEaReR   abc' }, { kind: 'token', token: 'abc' }],
    [{ authorization: 'Bearer' }, { kind: 'token', token: '' }],
    [{ authorization: 'Bearer a b' }, { kind: 'token', token: 'a b' }],
    [{ authorization: 'Basic dXNlcjpwYXNz' }, { kind: 'none', otherScheme: true }],
    [{ authorization: 'Bearerabc' }, { kind: 'none', otherScheme: true }],
    [{ 'x-auth-token': 'abc' }, { kind: 'token', token: 'abc' }],
    [
      { authorization: 'Bearer abc', 'x-auth-token': 'abc' },
      { kind: 'token', token: 'abc' },
    ],
    [{ authorization: 'Bearer abc', 'x-auth-token': 'xyz' }, { kind: 'conflict' }],
    [{ 'x-auth-token': 'abc, xyz' }, { kind: 'conflict' }],
    [
      { authorization: 'Basic dXNlcjpwYXNz', 'x-auth-token': 'abc' },
      { kind: 'token', token: 'abc' },
    ],
  ])('%o → %o', (headers, expected) => {
    expect(extract(request(headers))).toEqual(expected)
  })

  it('ignores X-Auth-Token when that source is switched off', () => {
    const headersOnly = createTokenExtractor({ xAuthToken: false, queryToken: false })
    expect(headersOnly(request({ 'x-auth-token': 'abc' }))).toEqual({ kind: 'none', otherScheme: false })
  })
})

describe('tokens in the query string', () => {
  it('refuses them when not enabled, and removes them from url and originalUrl all the same', () => {
    const req = request({ authorization: 'Bearer abc' }, '/topics/t?a=1&access_token=abc&b=%20')
    req.originalUrl = `/kafka${req.url}`
    expect(extract(req)).toEqual({ kind: 'in-url' })
    expect(req.url).toBe('/topics/t?a=1&b=%20')
    expect(req.originalUrl).toBe('/kafka/topics/t?a=1&b=%20')
  })

  it('accepts them when enabled, and still removes them', () => {
    const withQuery = createTokenExtractor({ xAuthToken: true, queryToken: true })
    const req = request({}, '/topics?access_token=abc')
    expect(withQuery(req)).toEqual({ kind: 'token', token: 'abc' })
    expect(req.url).toBe('/topics')
    expect(withQuery(request({ authorization: 'Bearer xyz' }, '/t?access_token=abc'))).toEqual({ kind: 'conflict' })
    expect(withQuery(request({}, '/t?access_token=abc&access_token=xyz'))).toEqual({ kind: 'conflict' })
  })

  it.each([
    ['/topics', undefined],
    ['/topics?offset=1', undefined],
    ['/topics?my_access_token=1', undefined],
    ['/topics?access_token=t', { url: '/topics', tokens: ['t'] }],
    ['/topics?access%5Ftoken=t&x=%41', { url: '/topics?x=%41', tokens: ['t'] }],
    ['/topics?x=1&access_token', { url: '/topics?x=1', tokens: [''] }],
    ['/topics?access_token=a%2Eb&access_token=c', { url: '/topics', tokens: ['a.b', 'c'] }],
    ['/topics?x=%E0%A4%A&access_token=t', { url: '/topics?x=%E0%A4%A', tokens: ['t'] }],
  ])('takeQueryTokens(%s)', (url, expected) => {
    expect(takeQueryTokens(url)).toEqual(expected)
  })
})
