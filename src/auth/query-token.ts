// Takes `access_token` out of a request URL, so it is never forwarded upstream nor seen by anything that logs URLs.

const PARAM = 'access_token'

export interface QueryTokens {
  /** The URL without any `access_token` parameter (other parameters byte-exact, in order). */
  url: string
  tokens: string[]
}

/** Undefined when the URL has no `access_token` (the common case costs two string searches). */
export function takeQueryTokens(url: string): QueryTokens | undefined {
  const start = url.indexOf('?')
  if (start === -1) return undefined
  const query = url.slice(start + 1)
  // A percent-encoded name (`access%5Ftoken`) is still that parameter: decode names when anything is encoded.
  if (!query.includes(PARAM) && !query.includes('%')) return undefined
  const kept: string[] = []
  const tokens: string[] = []
  for (const pair of query.split('&')) {
    const equals = pair.indexOf('=')
    const name = decode(equals === -1 ? pair : pair.slice(0, equals))
    if (name === PARAM) tokens.push(equals === -1 ? '' : decode(pair.slice(equals + 1)))
    else kept.push(pair)
  }
  if (tokens.length === 0) return undefined
  const path = url.slice(0, start)
  return { url: kept.length > 0 ? `${path}?${kept.join('&')}` : path, tokens }
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '))
  } catch {
    return text
  }
}
