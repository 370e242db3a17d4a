// The wildcard matcher behind topic patterns and deny patterns: same answers as a plain reference, in linear time.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compileTopicTest } from '../../../src/authz/topic-pattern.js'
import { configSchema } from '../../../src/config/schema.js'
import { createRouteFilter } from '../../../src/policy/route-filter.js'
import { ANY, ONE, type PatternItem, wildcardMatch } from '../../../src/policy/wildcard-match.js'

/** The definition, written as directly as possible (exponential, so only for short inputs). */
function reference<T>(pattern: readonly PatternItem<T>[], input: readonly T[]): boolean {
  if (pattern.length === 0) return input.length === 0
  const [head, ...rest] = pattern
  if (head === ANY) return input.some((_, i) => reference(rest, input.slice(i))) || reference(rest, [])
  if (input.length === 0) return false
  return (head === ONE || head === input[0]) && reference(rest, input.slice(1))
}

const item = fc.constantFrom<PatternItem<string>>('a', 'b', ANY, ONE)
const text = fc.array(fc.constantFrom('a', 'b'), { maxLength: 12 })

/** Counts the comparisons the matcher makes, through a proxy on the input. */
function comparisons(pattern: readonly PatternItem<string>[], input: string): number {
  let count = 0
  const counted = new Proxy([...input], {
    get(target, key) {
      if (typeof key === 'string' && /^\d+$/.test(key)) count++
      return Reflect.get(target, key)
    },
  })
  wildcardMatch(pattern, counted)
  return count
}

describe('wildcardMatch', () => {
  it('agrees with the reference matcher', () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 8 }), text, (pattern, input) => {
        expect(wildcardMatch(pattern, input)).toBe(reference(pattern, input))
      }),
      { numRuns: 3000 },
    )
  })

  it('agrees on strings as well as arrays', () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 8 }), text, (pattern, input) => {
        expect(wildcardMatch(pattern, input.join(''))).toBe(wildcardMatch(pattern, input))
      }),
    )
  })

  it.each([
    ['*a*a*a*a*b against 20,000 a', [ANY, 'a', ANY, 'a', ANY, 'a', ANY, 'a', ANY, 'b'], 'a'.repeat(20_000)],
    ['*.*.*.*.*x against 20,000 dots', [ANY, '.', ANY, '.', ANY, '.', ANY, '.', ANY, 'x'], '.'.repeat(20_000)],
    ['*?*?*?*b against 20,000 a', [ANY, ONE, ANY, ONE, ANY, ONE, ANY, 'b'], 'a'.repeat(20_000)],
  ])('stays within input × pattern comparisons on adversarial input: %s', (_name, pattern, input) => {
    const steps = comparisons(pattern as PatternItem<string>[], input)
    expect(wildcardMatch(pattern as PatternItem<string>[], input)).toBe(false)
    expect(steps).toBeLessThanOrEqual(input.length * pattern.length * 2)
  })

  it('stays within input × pattern comparisons for any pattern and input', () => {
    fc.assert(
      fc.property(
        fc.array(item, { maxLength: 10 }),
        fc.string({ maxLength: 200, unit: fc.constantFrom('a', 'b') }),
        (pattern, input) => {
          expect(comparisons(pattern, input)).toBeLessThanOrEqual((input.length + 1) * (pattern.length + 1) * 2)
        },
      ),
    )
  })
})

describe('compiled patterns', () => {
  const alice = { subject: 'alice', issuer: 'https://idp/', tenant: 'team-a', scopes: [], expiresAt: 0 }

  it('topic patterns agree with a glob-to-regex reference on legal names', () => {
    const glob = fc.string({ minLength: 1, maxLength: 10, unit: fc.constantFrom('a', '.', '-', '*', '?') })
    const topic = fc.string({ minLength: 1, maxLength: 30, unit: fc.constantFrom('a', '.', '-') })
    fc.assert(
      fc.property(glob, topic, (pattern, name) => {
        fc.pre(name !== '.' && name !== '..')
        const source = pattern.replace(/[.-]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')
        expect(compileTopicTest([pattern], alice)(name)).toBe(new RegExp(`^${source}$`).test(name))
      }),
      { numRuns: 2000 },
    )
  })

  it('deny patterns agree with a segment reference, in any case', () => {
    const segment = fc.constantFrom('admin', 'topics', 'x', 'ADMIN')
    const part = fc.constantFrom('admin', 'topics', 'x', '*', '**')
    fc.assert(
      fc.property(
        fc.array(part, { minLength: 1, maxLength: 6 }),
        fc.array(segment, { maxLength: 8 }),
        (parts, path) => {
          const filter = createRouteFilter(configSchema.shape.policy.parse({ deny: [`/${parts.join('/')}`] }))
          const items = parts.map((p) => (p === '**' ? ANY : p === '*' ? ONE : p))
          const denied = reference(
            items,
            path.map((s) => s.toLowerCase()),
          )
          const run = () => filter('GET', path, { kind: 'other', name: 'unmatched' })
          if (denied) expect(run).toThrow(/policy.deny/)
          else expect(run).not.toThrow()
        },
      ),
      { numRuns: 2000 },
    )
  })
})
