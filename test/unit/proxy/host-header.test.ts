// Host header syntax: host[:port] only, so a Host can never carry userinfo, a path or a query into a URL.
import { describe, expect, it } from 'vitest'
import { isValidHost } from '../../../src/proxy/host-header.js'

describe('isValidHost', () => {
  it.each([
    'gateway',
    'kafka.example.com',
    'kafka.example.com.',
    'kafka-gw_1.internal:8443',
    '127.0.0.1',
    '127.0.0.1:80',
    '[::1]',
    '[2001:db8::1]:443',
    'a:0',
    'a:65535',
    `${'a'.repeat(63)}.example`,
  ])('accepts %j', (host) => {
    expect(isValidHost(host)).toBe(true)
  })

  it.each([
    '',
    'user@evil.example',
    'user:pass@evil.example',
    'evil.example:443/phish?',
    'evil.example/path',
    'evil.example?q=1',
    'evil.example#frag',
    'a b',
    'evil.example\\x',
    '::1',
    '[::1',
    '[::1]x',
    '[::1]:',
    '[not-v6]',
    'a:',
    'a:65536',
    'a:-1',
    'a:1:2',
    '.example',
    'a..example',
    '-a.example',
    `${'a'.repeat(64)}.example`,
    'a'.repeat(256),
    'caf\u00e9.example',
    'a\u0000b',
  ])('refuses %j', (host) => {
    expect(isValidHost(host)).toBe(false)
  })
})
