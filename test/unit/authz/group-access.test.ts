// groupTest: a caller's v3 consumer groups are its tenant's (with tenant prefixes), or every group for an admin of all.
import { describe, expect, it } from 'vitest'
import type { Identity } from '../../../src/auth/identity.js'
import { groupTest } from '../../../src/authz/group-access.js'
import type { Permission } from '../../../src/authz/permissions.js'

const alice: Identity = { subject: 'alice', issuer: 'https://idp/', tenant: 'team-a', scopes: [], expiresAt: 0 }
const none = () => false
const user: Permission = { produce: none, consume: none, admin: none, see: none, consumeAll: false, adminAll: false }
const operator: Permission = { ...user, adminAll: true }

describe('groupTest', () => {
  it.each([
    ['tenant', alice, user, 'team-a.g', true],
    ['tenant', alice, user, 'team-a.', false],
    ['tenant', alice, user, 'team-ab.g', false],
    ['tenant', alice, user, 'team-b.g', false],
    ['tenant', { ...alice, tenant: undefined }, user, 'team-a.g', false],
    ['tenant', { ...alice, tenant: '' }, user, '.g', false],
    ['none', alice, user, 'team-a.g', false],
    ['none', alice, operator, 'anything', true],
    ['tenant', { ...alice, tenant: undefined }, operator, 'anything', true],
  ] as const)('prefixes %s, %o, %s → %s', (prefix, identity, permission, group, expected) => {
    expect(groupTest(prefix, identity, permission)(group)).toBe(expected)
  })
})
