// Topic patterns: `*` (any characters) and `?` (one character) globs, with `{tenant}` and `{subject}` filled in per caller.
import type { Identity } from '../auth/identity.js'
import { isLegalTopic } from '../policy/kafka-names.js'
import { ANY, ONE, type PatternItem, wildcardMatch } from '../policy/wildcard-match.js'

/** A test of one topic name; built once per caller. */
export type TopicTest = (topic: string) => boolean

/** What a pattern may contain: Kafka topic characters, the two wildcards and the two placeholders. */
export const TOPIC_PATTERN = /^(?:[A-Za-z0-9._*?-]|\{(?:tenant|subject)\})+$/

const NOTHING: TopicTest = () => false
const EVERYTHING: TopicTest = isLegalTopic

/**
 * Patterns → one test. A pattern whose placeholder the caller lacks (no tenant claim) matches nothing. A name that is not
 * a legal Kafka topic matches nothing either (the policy refuses such names before asking), so a match never runs on
 * more than 249 characters, and each pattern is matched in linear time (no regex: several `*` could backtrack).
 */
export function compileTopicTest(patterns: readonly string[], identity: Identity): TopicTest {
  const compiled: PatternItem<string>[][] = []
  for (const pattern of patterns) {
    if (pattern === '*') return EVERYTHING
    const items = compilePattern(pattern, identity)
    if (items !== undefined) compiled.push(items)
  }
  if (compiled.length === 0) return NOTHING
  return (topic) => isLegalTopic(topic) && compiled.some((items) => wildcardMatch(items, topic))
}

function compilePattern(pattern: string, identity: Identity): PatternItem<string>[] | undefined {
  const items: PatternItem<string>[] = []
  for (const part of pattern.split(/(\{tenant\}|\{subject\})/)) {
    if (part === '{tenant}' || part === '{subject}') {
      const value = part === '{tenant}' ? identity.tenant : identity.subject
      if (value === undefined || value === '') return undefined
      // A claim's characters are literal, even `*` or `?`.
      for (const char of value) items.push(char)
    } else {
      for (const char of part) items.push(char === '*' ? ANY : char === '?' ? ONE : char)
    }
  }
  return items
}
