// The gateway's forwarding headers: the one list of client headers removed, and what the gateway writes instead.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { GatewayError } from '../../../src/errors/gateway-error.js'
import { CLIENT_FORWARDING_HEADERS, isClientForwardingHeader } from '../../../src/proxy/forwarding-headers.js'
import { upstreamHeaders } from '../../../src/proxy/upstream-headers.js'

function request(headers: IncomingHttpHeaders, remoteAddress = '192.0.2.1', encrypted = false): IncomingMessage {
  return { headers, socket: encrypted ? { remoteAddress, encrypted } : { remoteAddress } } as unknown as IncomingMessage
}

describe('isClientForwardingHeader', () => {
  it.each([
    ...CLIENT_FORWARDING_HEADERS,
    'X-Forwarded-For',
    'x-forwarded-port',
    'X-FORWARDED-PREFIX',
    'x-forwarded-ssl',
    'x-forwarded-server',
    'x-original-host',
    'X-Original-URL',
    'x-original-uri',
    'Via',
    'True-Client-IP',
    'CF-Connecting-IP',
  ])('removes %s', (name) => {
    expect(isClientForwardingHeader(name)).toBe(true)
  })

  it.each(['host', 'content-type', 'x-request-id', 'accept', 'x-forwardedness', 'origin', 'x-auth-token'])(
    'keeps %s',
    (name) => {
      expect(isClientForwardingHeader(name)).toBe(false)
    },
  )
})

/** The headers the upstream gets for this request, as an object (no duplicate names in these cases). */
function forwarded(req: IncomingMessage, trustedHops: number): Record<string, string> {
  const list = upstreamHeaders(
    req,
    { host: 'upstream:8082', basicAuth: undefined, trustedHops },
    { key: 'the-key', origin: undefined, readsAnswer: false },
  )
  const headers: Record<string, string> = {}
  for (let i = 0; i < list.length; i += 2) headers[list[i] as string] = list[i + 1] as string
  return headers
}

describe('upstream forwarding headers', () => {
  const spoofed: IncomingHttpHeaders = {
    host: 'gw.example',
    'x-forwarded-for': '6.6.6.6, 203.0.113.7',
    'x-forwarded-proto': 'https',
    'x-forwarded-host': 'public.example',
    'x-forwarded-port': '443',
    'x-real-ip': '6.6.6.6',
    forwarded: 'for=6.6.6.6',
    via: '1.1 evil',
    'x-original-url': '/admin',
    'content-type': 'application/json',
  }

  it('without trusted proxies: only the connection and Host count', () => {
    const req = request({ ...spoofed })
    expect(forwarded(req, 0)).toEqual({
      host: 'upstream:8082',
      'x-auth-token': 'the-key',
      'content-type': 'application/json',
      'x-forwarded-for': '192.0.2.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'gw.example',
    })
  })

  it('with one trusted proxy: its entry, scheme and host, then the socket', () => {
    const headers = forwarded(request({ ...spoofed }, '10.0.0.5'), 1)
    expect(headers).toMatchObject({
      'x-forwarded-for': '203.0.113.7, 10.0.0.5',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'public.example',
    })
    expect(headers['x-real-ip']).toBeUndefined()
    expect(headers['x-forwarded-port']).toBeUndefined()
  })

  it('with trust: drops chain entries that are not addresses, and malformed forwarded values', () => {
    const req = request(
      {
        host: 'gw',
        'x-forwarded-for': ['junk', 'also-junk'],
        'x-forwarded-proto': 'gopher',
        'x-forwarded-host': 'a@b',
      },
      '10.0.0.5',
      true,
    )
    expect(forwarded(req, 2)).toMatchObject({
      'x-forwarded-for': '10.0.0.5',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'gw',
    })
  })

  it('refuses a Host with userinfo or a path with 400', () => {
    for (const host of ['user@evil.example', 'evil.example:443/phish?']) {
      expect(() => forwarded(request({ host }), 0)).toThrow(GatewayError)
    }
  })

  it('writes no X-Forwarded-Host when an HTTP/1.0 request has no Host', () => {
    const headers = forwarded(request({}), 0)
    expect(headers['x-forwarded-host']).toBeUndefined()
    expect(headers['x-forwarded-for']).toBe('192.0.2.1')
  })
})

describe('upstreamHeaders', () => {
  it('leaves out every client credential and hop-by-hop header, adds the key once, and leaves the request as it came', () => {
    const sent: IncomingHttpHeaders = {
      host: 'gw.example',
      authorization: 'Bearer client-token',
      'x-auth-token': 'client-token',
      cookie: 'session=1',
      'proxy-authorization': 'Basic eA==',
      connection: 'x-auth-token, content-type',
      'keep-alive': 'timeout=5',
      te: 'trailers',
      'x-http-method-override': 'DELETE',
      'content-type': 'application/vnd.kafka.binary.v2+json',
      'x-custom': ['a', 'b'],
    }
    const req = request({ ...sent })
    const list = upstreamHeaders(
      req,
      { host: 'upstream:8082', basicAuth: undefined, trustedHops: 0 },
      { key: 'the-key', origin: undefined, readsAnswer: true },
    )
    const names = list.filter((_, i) => i % 2 === 0)
    for (const name of ['authorization', 'cookie', 'proxy-authorization', 'connection', 'keep-alive', 'te'])
      expect(names).not.toContain(name)
    expect(names).not.toContain('x-http-method-override')
    expect(list.filter((item) => item === 'x-auth-token')).toHaveLength(1)
    expect(list[list.indexOf('x-auth-token') + 1]).toBe('the-key')
    expect(list).not.toContain('client-token')
    // Repeated headers go as repeated lines; the answer is asked for uncompressed when the gateway reads it.
    expect(names.filter((name) => name === 'x-custom')).toHaveLength(2)
    expect(list[list.indexOf('accept-encoding') + 1]).toBe('identity')
    expect(req.headers).toEqual(sent)
  })
})
