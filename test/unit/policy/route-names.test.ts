// Route names are a union derived from the route table: `tsc --noEmit` rejects a branch on a name the table lacks.
// The @ts-expect-error lines below are the test: if such a name became valid, tsc would report the directive unused.
import { describe, expect, it } from 'vitest'
import type { MatchName } from '../../../src/policy/route-match.js'
import { type RouteName, routes } from '../../../src/policy/routes.js'

function branches(name: MatchName): string {
  if (name === 'consumer-create') return 'create'
  // @ts-expect-error a misspelt route name does not compile
  if (name === 'consumer-crate') return 'never'
  // @ts-expect-error neither does the old name of a renamed route
  if (name === 'v3-produce') return 'never'
  return name
}

// @ts-expect-error a table keyed by route name refuses a name outside the table
const misspelt: Partial<Record<RouteName, true>> = { 'topic-list': true }

describe('route names', () => {
  it('are the names of the table, plus unmatched for everything outside it', () => {
    const names = new Set<string>(routes.map((route) => route.name))
    expect(names.has('topics-list')).toBe(true)
    expect(names.has('unmatched')).toBe(false)
    expect(branches('consumer-create')).toBe('create')
    expect(branches('unmatched')).toBe('unmatched')
    expect(misspelt).toBeDefined()
  })

  it('give one route one kind, format rule and access rule under every path prefix', () => {
    const byName = new Map<string, string>()
    for (const { name, kind, format, access, method } of routes) {
      const rules = JSON.stringify({ kind, format, access, method })
      expect(byName.get(name) ?? rules, name).toBe(rules)
      byName.set(name, rules)
    }
  })
})
