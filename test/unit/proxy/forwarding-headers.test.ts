// The gateway's forwarding headers: the one list of client headers removed, and what the gateway writes instead.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { GatewayError } from '../../../src/errors/gateway-error.js'
import {
  CLIENT_FORWARDING_HEADERS,
  isClientForwardingHeader,
  replaceForwardingHeaders,
} from '../../../src/proxy/forwarding-headers.js'

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

describe('replaceForwardingHeaders', () => {
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
    replaceForwardingHeaders(req, 0)
    expect(req.headers).toEqual({
      host: 'gw.example',
      'content-type': 'application/json',
      'x-forwarded-for': '192.0.2.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'gw.example',
    })
  })

  it('with one trusted proxy: its entry, scheme and host, then the socket', () => {
    const req = request({ ...spoofed }, '10.0.0.5')
    replaceForwardingHeaders(req, 1)
    expect(req.headers).toMatchObject({
      'x-forwarded-for': '203.0.113.7, 10.0.0.5',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'public.example',
    })
    expect(req.headers['x-real-ip']).toBeUndefined()
    expect(req.headers['x-forwarded-port']).toBeUndefined()
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
    replaceForwardingHeaders(req, 2)
    expect(req.headers).toMatchObject({
      'x-forwarded-for': '10.0.0.5',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'gw',
    })
  })

  it('refuses a Host with userinfo or a path with 400', () => {
    for (const host of ['user@evil.example', 'evil.example:443/phish?']) {
      expect(() => replaceForwardingHeaders(request({ host }), 0)).toThrow(GatewayError)
    }
  })

  it('writes no X-Forwarded-Host when an HTTP/1.0 request has no Host', () => {
    const req = request({})
    replaceForwardingHeaders(req, 0)
    expect(req.headers['x-forwarded-host']).toBeUndefined()
    expect(req.headers['x-forwarded-for']).toBe('192.0.2.1')
  })
})
