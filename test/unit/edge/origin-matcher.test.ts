// The CORS allowlist: which entries are valid, and which Origin headers match exact entries and *.domain patterns.
import { describe, expect, it } from 'vitest'
import { isOriginEntry } from '../../../src/config/origin-entry.js'
import { createOriginMatcher, normalizeOriginEntry } from '../../../src/edge/origin-matcher.js'

describe('isOriginEntry', () => {
  it.each([
    'https://app.example.com',
    'http://127.0.0.1:5173',
    'http://localhost:3000',
    'https://*.example.com',
    'https://*.apps.example.com:8443',
    'http://[::1]:8080',
  ])('accepts %s', (entry) => {
    expect(isOriginEntry(entry)).toBe(true)
  })

  it.each([
    '*',
    'null',
    'https://*',
    'https://*.com',
    '*.example.com',
    'https://app.example.com/',
    'https://app.example.com/path',
    'https://app.*.example.com',
    'https://*example.com',
    'ftp://app.example.com',
    'https://user@app.example.com',
    'https://app.example.com:99999',
    'https://*.[::1]',
    '',
  ])('refuses %j', (entry) => {
    expect(isOriginEntry(entry)).toBe(false)
  })
})

describe('normalizeOriginEntry', () => {
  it.each([
    ['HTTPS://App.Example.COM', 'https://app.example.com'],
    ['https://app.example.com:443', 'https://app.example.com'],
    ['http://app.example.com:80', 'http://app.example.com'],
    ['https://*.Example.com:443', 'https://*.example.com'],
    ['https://*.example.com:8443', 'https://*.example.com:8443'],
  ])('writes %s as a browser sends it: %s', (entry, normalized) => {
    expect(normalizeOriginEntry(entry)).toBe(normalized)
  })
})

describe('createOriginMatcher', () => {
  const matches = createOriginMatcher([
    'https://app.example.com',
    'https://*.apps.example.com',
    'http://127.0.0.1:5173',
  ])

  it.each([
    'https://app.example.com',
    'https://one.apps.example.com',
    'https://a.b.apps.example.com',
    'http://127.0.0.1:5173',
  ])('matches %s', (origin) => {
    expect(matches(origin)).toBe(true)
  })

  it.each([
    'null',
    '',
    '*',
    'https://app.example.com.evil.com',
    'https://allowed.example.evil.com',
    'https://evilapp.example.com',
    'http://app.example.com',
    'https://app.example.com:8443',
    'https://apps.example.com',
    'https://one.apps.example.com:8443',
    'http://one.apps.example.com',
    'https://one.apps.example.com.evil.com',
    'https://evil.com/.apps.example.com',
    'https://evil.com?.apps.example.com',
    'https://a@b.apps.example.com',
    'https://APP.EXAMPLE.COM',
    'https://app.example.com/',
    'http://127.0.0.1:5174',
    'http://localhost:5173',
  ])('does not match %j', (origin) => {
    expect(matches(origin)).toBe(false)
  })

  it('matches nothing when the list is empty', () => {
    expect(createOriginMatcher([])('https://app.example.com')).toBe(false)
  })

  it('answers a hostile Origin of a million labels: backtracking worse than linear would not end within the test', () => {
    // Far beyond any header limit, so that even quadratic backtracking (10^12 steps here) fails by the test timeout,
    // while the anchored, unambiguous pattern answers in one pass. Nothing here reads a clock.
    const hostile = `https://${'a.'.repeat(1_000_000)}apps.example.co`
    expect(matches(hostile)).toBe(false)
    expect(matches(`https://${'a.'.repeat(1_000_000)}apps.example.com`)).toBe(true)
  })
})
