// The security headers of a JSON API: strict CSP, no framing, cross-origin readable, no document-only headers.
import { describe, expect, it } from 'vitest'
import { recordHelmetHeaders } from '../../../src/edge/security-headers.js'

describe('recordHelmetHeaders', () => {
  const { set, remove } = recordHelmetHeaders()
  const headers = Object.fromEntries(set.map(([name, value]) => [name.toLowerCase(), value]))

  it.each([
    ['content-security-policy', "default-src 'none';frame-ancestors 'none'"],
    ['cross-origin-resource-policy', 'cross-origin'],
    ['x-content-type-options', 'nosniff'],
    ['x-frame-options', 'DENY'],
    ['referrer-policy', 'no-referrer'],
  ])('sets %s: %s', (name, value) => {
    expect(headers[name]).toBe(value)
  })

  it.each([
    'cross-origin-opener-policy',
    'cross-origin-embedder-policy',
    'origin-agent-cluster',
    'x-dns-prefetch-control',
    'x-download-options',
  ])('leaves out the document-only header %s', (name) => {
    expect(headers).not.toHaveProperty(name)
  })

  it('removes X-Powered-By (set by Express when the gateway is mounted in an app)', () => {
    expect(remove).toEqual(['X-Powered-By'])
  })
})
