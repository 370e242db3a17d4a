// Topic patterns: `*` (any characters) and `?` (one character) globs, with `{tenant}` and `{subject}` filled in per caller.
import type { Identity } from '../auth/identity.js'

/** A test of one topic name; built once per caller, then a single regex test per request. */
export type TopicTest = (topic: string) => boolean

/** What a pattern may contain: Kafka topic characters, the two wildcards and the two placeholders. */
export const TOPIC_PATTERN = /^(?:[A-Za-z0-9._*?-]|\{(?:tenant|subject)\})+$/
/** A legal Kafka topic name; only such names are echoed in a header. */
export const KAFKA_TOPIC = /^[A-Za-z0-9._-]{1,249}$/

const NOTHING: TopicTest = () => false
const EVERYTHING: TopicTest = () => true

/** Patterns → one test. A pattern whose placeholder the caller lacks (no tenant claim) matches nothing. */
export function compileTopicTest(patterns: readonly string[], identity: Identity): TopicTest {
  const sources: string[] = []
  for (const pattern of patterns) {
    if (pattern === '*') return EVERYTHING
    const source = patternSource(pattern, identity)
    if (source !== undefined) sources.push(source)
  }
  if (sources.length === 0) return NOTHING
  const regex = new RegExp(`^(?:${sources.join('|')})$`)
  return (topic) => regex.test(topic)
}

function patternSource(pattern: string, identity: Identity): string | undefined {
  let source = ''
  for (const part of pattern.split(/(\{tenant\}|\{subject\})/)) {
    if (part === '{tenant}' || part === '{subject}') {
      const value = part === '{tenant}' ? identity.tenant : identity.subject
      if (value === undefined || value === '') return undefined
      source += escapeRegex(value)
    } else {
      source += escapeRegex(part).replace(/\\\*/g, '.*').replace(/\\\?/g, '.')
    }
  }
  return source
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')
}
