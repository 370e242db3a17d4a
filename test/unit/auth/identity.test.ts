// identityFromClaims: subject, tenant and scopes from configurable claims.

import type { JWTPayload } from 'jose'
import { describe, expect, it } from 'vitest'
import { identityFromClaims } from '../../../src/auth/identity.js'

const base = { iss: 'https://idp.example/', sub: 'alice', exp: 2_000_000_000 }

describe('identityFromClaims', () => {
  it.each([
    [{ scope: 'produce:a  consume:b' }, {}, ['produce:a', 'consume:b']],
    [{ scp: ['produce:a', 7, ''] }, {}, ['produce:a']],
    [{ scope: 'a', scp: ['b'] }, {}, ['a']],
    [{ roles: ['admin'] }, { scopesClaim: 'roles' }, ['admin']],
    [{ roles: 'a b' }, { scopesClaim: 'roles' }, ['a', 'b']],
    [{}, {}, []],
  ])('scopes of %o with %o → %o', (claims, mapping, scopes) => {
    expect(identityFromClaims({ ...base, ...claims }, { subjectClaim: 'sub', ...mapping }).scopes).toEqual(scopes)
  })

  it('maps subject, tenant, issuer and expiry from the configured claims', () => {
    const claims = { ...base, client_id: 'svc-1', org: 'acme' }
    expect(identityFromClaims(claims, { subjectClaim: 'client_id', tenantClaim: 'org' })).toEqual({
      subject: 'svc-1',
      tenant: 'acme',
      issuer: 'https://idp.example/',
      scopes: [],
      expiresAt: 2_000_000_000,
    })
  })

  it.each([{ org: '' }, { org: 7 }, { org: ['acme'] }, {}])('has no tenant for a tenant claim %o', (claims) => {
    const identity = identityFromClaims({ ...base, ...claims }, { subjectClaim: 'sub', tenantClaim: 'org' })
    expect(identity.tenant).toBeUndefined()
  })

  it.each([{ sub: 42 }, { sub: '' }, { sub: ['alice'] }])('refuses a subject that is not a string: %o', (claims) => {
    const payload = { ...base, ...claims } as unknown as JWTPayload
    expect(() => identityFromClaims(payload, { subjectClaim: 'sub' })).toThrow(/subject/)
  })
})
