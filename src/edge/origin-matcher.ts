// The CORS origin allowlist: exact origins and `https://*.example.com` patterns, compiled once into one matcher.
// Entries arrive validated by the config schema (src/config/origin-entry.ts holds their syntax).

/** One or more DNS labels: what `*` stands for (so `https://a.b.example.com` matches `https://*.example.com`). */
const LABELS = '[a-z0-9-]+(?:\\.[a-z0-9-]+)*'

/** The form a browser sends in `Origin`: lowercase, no default port. `*.` is kept in place for patterns. */
export function normalizeOriginEntry(entry: string): string {
  const wildcard = entry.includes('://*.')
  const origin = new URL(wildcard ? entry.replace('://*.', '://wildcard.') : entry).origin
  return wildcard ? origin.replace('://wildcard.', '://*.') : origin
}

export type OriginMatcher = (origin: string) => boolean

/**
 * Exact entries are a Set lookup; patterns become one anchored regex. Only a well-formed origin can match, so a header like
 * `https://allowed.example.evil.com` or `null` never does, and the gateway never reflects anything it did not list.
 */
export function createOriginMatcher(entries: readonly string[]): OriginMatcher {
  const exact = new Set<string>()
  const patterns: string[] = []
  for (const entry of entries.map(normalizeOriginEntry)) {
    if (!entry.includes('://*.')) {
      exact.add(entry)
      continue
    }
    const [scheme, rest] = entry.split('://*.') as [string, string]
    patterns.push(`${escapeRegExp(scheme)}:\\/\\/${LABELS}\\.${escapeRegExp(rest)}`)
  }
  if (patterns.length === 0) return (origin) => exact.has(origin)
  const pattern = new RegExp(`^(?:${patterns.join('|')})$`)
  return (origin) => exact.has(origin) || pattern.test(origin)
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}
