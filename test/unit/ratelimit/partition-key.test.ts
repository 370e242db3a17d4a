// Whose budget a request spends: subject per issuer, or tenant, as a short hash that never shows the name.
import { describe, expect, it } from 'vitest'
import type { Identity } from '../../../src/auth/identity.js'
import { createPartitionOf } from '../../../src/ratelimit/partition-key.js'

const who = (subject: string, issuer = 'https://idp/', tenant?: string): Identity => ({
  subject,
  issuer,
  tenant,
  scopes: [],
  expiresAt: 0,
})

describe('createPartitionOf', () => {
  const bySubject = createPartitionOf('subject')
  const byTenant = createPartitionOf('tenant')

  it('keys a subject per issuer, in a short hash without the name', () => {
    const key = bySubject(who('alice@example.com'))
    expect(key).toMatch(/^[\w-]{22}$/)
    expect(key).not.toContain('alice')
    expect(bySubject(who('alice@example.com'))).toBe(key)
    expect(bySubject(who('alice@example.com', 'https://other-idp/'))).not.toBe(key)
    expect(bySubject(who('bob@example.com'))).not.toBe(key)
  })

  it('keys by tenant of one issuer across subjects, and by subject when there is no tenant', () => {
    expect(byTenant(who('a', 'https://idp/', 'acme'))).toBe(byTenant(who('b', 'https://idp/', 'acme')))
    // Another identity provider's "acme" is another tenant: it cannot spend (or exhaust) this one's budget.
    expect(byTenant(who('a', 'https://idp/', 'acme'))).not.toBe(byTenant(who('b', 'https://other-idp/', 'acme')))
    expect(byTenant(who('a', 'https://idp/', 'acme'))).not.toBe(byTenant(who('a', 'https://idp/', 'globex')))
    expect(byTenant(who('a'))).toBe(bySubject(who('a')))
  })

  it('cannot be confused by a tenant named like a subject', () => {
    expect(byTenant(who('x', 'https://idp/', 'subject\nhttps://idp/\nx'))).not.toBe(bySubject(who('x')))
  })
})
