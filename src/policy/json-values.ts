// Parses a JSON text holding zero or more top-level values, refusing a key that repeats within one object or nesting
// deeper than MAX_JSON_DEPTH.
import { GatewayError } from '../errors/gateway-error.js'

/**
 * Deepest nesting of arrays and objects the gateway reads. Kafka REST bodies need four levels at most; the limit keeps
 * every walk over a parsed body short and any recursion over it bounded, whatever a client sends.
 */
export const MAX_JSON_DEPTH = 64

/**
 * Every top-level value of `text` (none for blank text), each checked by JSON.parse. A key that appears twice in one
 * object, compared case-insensitively, is refused: JSON.parse keeps the last, another parser may keep the first or match
 * names without case, and the gateway must judge exactly what the upstream reads. Nesting deeper than MAX_JSON_DEPTH is
 * refused while scanning, before JSON.parse builds anything. One pass over the text: linear in its length.
 */
export function parseJsonValues(text: string): unknown[] {
  const values: unknown[] = []
  let at = 0
  while (at < text.length) {
    if (isSpace(text.charCodeAt(at))) {
      at++
      continue
    }
    const end = endOfValue(text, at)
    try {
      values.push(JSON.parse(text.slice(at, end)))
    } catch {
      throw new GatewayError('BAD_REQUEST', { message: 'The request body is not valid JSON' })
    }
    at = end
  }
  return values
}

/** End (exclusive) of the value starting at `start`; containers are scanned for their keys and their depth. */
function endOfValue(text: string, start: number): number {
  const first = text[start]
  if (first === '"') return endOfString(text, start) + 1
  if (first !== '{' && first !== '[') {
    let end = start
    while (end < text.length && !isSpace(text.charCodeAt(end)) && !'{["'.includes(text[end] as string)) end++
    return end
  }
  // One entry per open container: the keys seen so far for an object, null for an array.
  const open: Array<Set<string> | null> = []
  let expectKey = false
  for (let i = start; i < text.length; i++) {
    const char = text[i]
    if (char === '"') {
      const close = endOfString(text, i)
      const keys = open[open.length - 1]
      if (expectKey && keys) remember(keys, text.slice(i, close + 1))
      expectKey = false
      i = close
    } else if (char === '{' || char === '[') {
      if (open.length === MAX_JSON_DEPTH) tooDeep()
      open.push(char === '{' ? new Set() : null)
      expectKey = char === '{'
    } else if (char === '}' || char === ']') {
      open.pop()
      if (open.length === 0) return i + 1
    } else if (char === ',') {
      expectKey = Boolean(open[open.length - 1])
    }
  }
  return text.length
}

function remember(keys: Set<string>, quoted: string): void {
  let key: string
  try {
    key = (JSON.parse(quoted) as string).toLowerCase()
  } catch {
    // An invalid key makes the whole value invalid; JSON.parse of the value reports it.
    return
  }
  if (keys.has(key)) {
    throw new GatewayError('BAD_REQUEST', {
      message: `The JSON body repeats the key ${JSON.stringify(key)}; the gateway refuses ambiguous JSON`,
    })
  }
  keys.add(key)
}

function tooDeep(): never {
  throw new GatewayError('BAD_REQUEST', {
    message: `The JSON body nests arrays or objects deeper than ${MAX_JSON_DEPTH} levels`,
  })
}

/** Index of the quote closing the string that opens at `start` (the text's end when unterminated). */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const char = text[i]
    if (char === '\\') i++
    else if (char === '"') return i
  }
  return text.length
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09
}
