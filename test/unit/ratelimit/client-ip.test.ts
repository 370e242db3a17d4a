// The client key for per-IP limits: socket address or trusted X-Forwarded-For entry, IPv6 by /64.
import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { addressKey, createClientKey } from '../../../src/ratelimit/client-ip.js'

const request = (remoteAddress: string, forwardedFor?: string | string[]) =>
  ({
    socket: { remoteAddress },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  }) as unknown as IncomingMessage

describe('addressKey', () => {
  it.each([
    ['192.0.2.7', '192.0.2.7'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:0db8:0000:0000:ffff:1:2:3', '2001:db8:0:0::/64'],
    ['2001:DB8:AA:1::', '2001:db8:aa:1::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['::', '0:0:0:0::/64'],
  ])('%s → %s', (address, key) => {
    expect(addressKey(address)).toBe(key)
  })
})

describe('createClientKey', () => {
  it.each([
    {
      hops: 0,
      socket: '10.0.0.1',
      xff: '198.51.100.1',
      key: '10.0.0.1',
      why: 'ignores the header without trusted proxies',
    },
    { hops: 1, socket: '10.0.0.1', xff: '198.51.100.1', key: '198.51.100.1', why: 'takes the entry the proxy added' },
    {
      hops: 1,
      socket: '10.0.0.1',
      xff: 'spoof, 198.51.100.1',
      key: '198.51.100.1',
      why: 'never the client-written part',
    },
    {
      hops: 2,
      socket: '10.0.0.2',
      xff: 'spoof, 198.51.100.1, 10.0.0.1',
      key: '198.51.100.1',
      why: 'counts hops from the right',
    },
    { hops: 3, socket: '10.0.0.1', xff: '198.51.100.1', key: '198.51.100.1', why: 'stops at the leftmost entry' },
    { hops: 1, socket: '10.0.0.1', xff: '198.51.100.1:5555', key: '198.51.100.1', why: 'drops an IPv4 port' },
    { hops: 1, socket: '10.0.0.1', xff: '[2001:db8::9]:443', key: '2001:db8:0:0::/64', why: 'drops an IPv6 port' },
    { hops: 1, socket: '10.0.0.1', xff: 'not-an-ip', key: '10.0.0.1', why: 'falls back to the socket on garbage' },
    { hops: 1, socket: '10.0.0.1', xff: undefined, key: '10.0.0.1', why: 'falls back to the socket without a header' },
    { hops: 1, socket: '10.0.0.1', xff: ['198.51.100.1', '198.51.100.2'], key: '198.51.100.2', why: 'joins repeats' },
  ])('$why', ({ hops, socket, xff, key }) => {
    expect(createClientKey(hops)(request(socket, xff))).toBe(key)
  })
})
