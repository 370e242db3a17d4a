// The syntax of one cors.origins entry: an exact origin or an `https://*.example.com` pattern. Pure, so that config
// validation and the edge's origin matcher share it without config depending on pipeline code.

/** An exact entry: scheme, host, optional port; no path. */
const EXACT = /^https?:\/\/(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i
/** A pattern: `*.` and a domain of at least two labels (so never `*`, `https://*` or `https://*.com`). */
const PATTERN = /^https?:\/\/\*\.[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d{1,5})?$/i

export function isOriginEntry(entry: string): boolean {
  return (EXACT.test(entry) || PATTERN.test(entry)) && URL.canParse(entry.replace('://*.', '://wildcard.'))
}
