// Topic permissions: globs, placeholders, rule conditions and scope grants → produce / consume / see decisions.
import { describe, expect, it } from 'vitest'
import type { Identity } from '../../../src/auth/identity.js'
import { createPermissions } from '../../../src/authz/permissions.js'
import { compileTopicTest } from '../../../src/authz/topic-pattern.js'
import { configSchema } from '../../../src/config/schema.js'

const alice: Identity = { subject: 'alice', issuer: 'https://idp/', tenant: 'team-a', scopes: [], expiresAt: 0 }
const as = (changes: Partial<Identity>): Identity => ({ ...alice, ...changes })

describe('topic patterns', () => {
  it.each([
    ['orders.*', 'orders.eu', true],
    ['orders.*', 'orders.eu.west', true],
    ['orders.*', 'orders', false],
    ['orders.*', 'ordersXeu', false],
    ['orders', 'orders', true],
    ['orders', 'orders2', false],
    ['orders', 'xorders', false],
    ['order?', 'orders', true],
    ['order?', 'order', false],
    ['*-public', 'news-public', true],
    ['*', 'anything.at-all', true],
    ['{tenant}.*', 'team-a.events', true],
    ['{tenant}.*', 'team-b.events', false],
    ['user.{subject}', 'user.alice', true],
    ['user.{subject}', 'user.bob', false],
  ])('%s on %s → %s', (pattern, topic, expected) => {
    expect(compileTopicTest([pattern], alice)(topic)).toBe(expected)
  })

  it('matches nothing with a placeholder the caller has no value for', () => {
    expect(compileTopicTest(['{tenant}.*'], as({ tenant: undefined }))('.x')).toBe(false)
    expect(compileTopicTest(['{tenant}.*', 'shared'], as({ tenant: undefined }))('shared')).toBe(true)
  })

  it('treats wildcard characters in a placeholder value literally', () => {
    const dotted = compileTopicTest(['{tenant}.x'], as({ tenant: 'a.b' }))
    expect(dotted('a.b.x')).toBe(true)
    expect(dotted('aXb.x')).toBe(false)
    // `a*` as a tenant is no wildcard: it could only match a topic named `a*.x`, and that is not a legal name.
    const starred = compileTopicTest(['{tenant}.x'], as({ tenant: 'a*' }))
    expect(starred('abc.x')).toBe(false)
    expect(starred('a*.x')).toBe(false)
  })

  it.each(['.', '..', 'a'.repeat(250), 'caf\u00e9', 'a b', 'a/b', ''])(
    'matches no illegal topic name (%j), even with *',
    (topic) => {
      expect(compileTopicTest(['*'], alice)(topic)).toBe(false)
      expect(compileTopicTest(['a*', '?*'], alice)(topic)).toBe(false)
    },
  )

  it.each(['orders.(a|b)', 'a b', 'x/y', '{tenant', '{other}.*', ''])('refuses the pattern %j in config', (pattern) => {
    const result = configSchema.shape.authz.safeParse({ enabled: true, rules: [{ produce: [pattern] }] })
    expect(result.success).toBe(false)
  })
})

describe('permissions from rules and scopes', () => {
  const permissionOf = createPermissions(
    configSchema.shape.authz.parse({
      enabled: true,
      rules: [
        { tenant: 'team-a', produce: ['{tenant}.*'], consume: ['{tenant}.*', 'shared.*'] },
        { issuer: 'https://partner/', consume: ['partner.inbox'] },
        { subject: 'auditor', consume: ['*'] },
        { scope: 'kafka-admin', produce: ['*'], consume: ['*'] },
        { subject: 'owner', admin: ['{subject}.*'] },
        { subject: 'operator', admin: ['*'] },
        { consume: ['public'] },
      ],
    }),
  )

  it.each([
    ['team-a produces to its own topics', alice, 'produce', 'team-a.orders', true],
    ['team-a cannot produce to shared', alice, 'produce', 'shared.news', false],
    ['team-a consumes shared', alice, 'consume', 'shared.news', true],
    ['everyone consumes public', as({ tenant: undefined }), 'consume', 'public', true],
    ['nobody else produces to public', as({ tenant: undefined }), 'produce', 'public', false],
    ['team-b is not team-a', as({ tenant: 'team-b' }), 'consume', 'team-a.orders', false],
    ['an issuer rule', as({ issuer: 'https://partner/', tenant: undefined }), 'consume', 'partner.inbox', true],
    ['an issuer rule needs that issuer', alice, 'consume', 'partner.inbox', false],
    ['a subject rule', as({ subject: 'auditor' }), 'consume', 'team-b.secret', true],
    ['a scope rule', as({ scopes: ['kafka-admin'] }), 'produce', 'x.y', true],
    ['scope grant kafka:produce:<glob>', as({ scopes: ['kafka:produce:metrics.*'] }), 'produce', 'metrics.cpu', true],
    [
      'a produce scope does not grant consume',
      as({ scopes: ['kafka:produce:metrics.*'] }),
      'consume',
      'metrics.cpu',
      false,
    ],
    ['scope grant kafka:consume:<name>', as({ scopes: ['kafka:consume:logs'] }), 'consume', 'logs', true],
    [
      'a scope with a placeholder grants nothing',
      as({ scopes: ['kafka:consume:{tenant}.*'], tenant: 'z' }),
      'consume',
      'z.x',
      false,
    ],
    ['a malformed scope grants nothing', as({ scopes: ['kafka:consume:(.*)'] }), 'consume', 'anything', false],
    ['an admin rule', as({ subject: 'owner' }), 'admin', 'owner.events', true],
    ['an admin rule is only for its topics', as({ subject: 'owner' }), 'admin', 'other.events', false],
    ['admin does not grant produce', as({ subject: 'owner' }), 'produce', 'owner.events', false],
    ['produce and consume do not grant admin', alice, 'admin', 'team-a.orders', false],
    ['scope grant kafka:admin:<glob>', as({ scopes: ['kafka:admin:ops.*'] }), 'admin', 'ops.x', true],
  ] as const)('%s', (_case, identity, action, topic, expected) => {
    expect(permissionOf(identity)[action](topic)).toBe(expected)
  })

  it('sees what it may produce or consume, and nothing else', () => {
    const permission = permissionOf(alice)
    expect(['team-a.x', 'shared.y', 'public', 'team-b.x', 'other'].filter(permission.see)).toEqual([
      'team-a.x',
      'shared.y',
      'public',
    ])
  })

  it('may consume every topic only with a bare * consume pattern', () => {
    expect(permissionOf(alice).consumeAll).toBe(false)
    expect(permissionOf(as({ subject: 'auditor' })).consumeAll).toBe(true)
    expect(permissionOf(as({ scopes: ['kafka:consume:*'] })).consumeAll).toBe(true)
  })

  it('sees what it administers, and administers everything only with a bare * admin pattern', () => {
    expect(permissionOf(as({ subject: 'owner' })).see('owner.x')).toBe(true)
    expect(permissionOf(as({ subject: 'owner' })).adminAll).toBe(false)
    expect(permissionOf(as({ subject: 'operator' })).adminAll).toBe(true)
    expect(permissionOf(as({ scopes: ['kafka:admin:*'] })).adminAll).toBe(true)
    expect(permissionOf(as({ scopes: ['kafka:produce:*', 'kafka:consume:*'] })).adminAll).toBe(false)
  })

  it('computes a caller once and reuses it', () => {
    expect(permissionOf(alice)).toBe(permissionOf(alice))
  })

  it('grants nothing from scopes when scopePrefix is null', () => {
    const strict = createPermissions(configSchema.shape.authz.parse({ enabled: true, scopePrefix: null }))
    expect(strict(as({ scopes: ['kafka:produce:*'] })).produce('x')).toBe(false)
  })
})
