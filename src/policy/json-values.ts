// Parses a JSON text holding zero or more top-level values, refusing a key that repeats within one object or nesting
// deeper than MAX_JSON_DEPTH; large bodies of records are parsed record by record, giving the event loop turns.
import { setImmediate as nextTurn } from 'node:timers/promises'
import { GatewayError } from '../errors/gateway-error.js'

/**
 * Deepest nesting of arrays and objects the gateway reads. Kafka REST bodies need four levels at most; the limit keeps
 * every walk over a parsed body short and any recursion over it bounded, whatever a client sends.
 */
export const MAX_JSON_DEPTH = 64

/**
 * Arrays and objects one record of a v3 produce body may hold (a record, or a whole batch). A record needs three or
 * four, plus one per header. The bound keeps each JSON.parse call short: parsing builds an object per container.
 */
export const MAX_RECORD_CONTAINERS = 4096

/** Characters of a record body parsed between two turns of the event loop. */
const SLICE = 64 * 1024

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
    values.push(parse(text.slice(at, end)))
    at = end
  }
  return values
}

/**
 * Calls `onRecord` with each record of a v3 produce body, in order: its top-level values, with arrays unwrapped into
 * their elements at any depth (Jackson's readValues reads a top-level array element by element). Each record holds at
 * most MAX_RECORD_CONTAINERS arrays and objects and is parsed on its own, nothing is kept, and the event loop gets a turn
 * after every SLICE characters: one JSON.parse of half a million tiny values, or a walk over them, would block every
 * other request for a long time, however linear it is. A throw from `onRecord` stops the parse.
 */
export async function forEachJsonRecord(text: string, onRecord: (record: unknown) => void): Promise<void> {
  /** Arrays open around the current position, each unwrapped. */
  let arrays = 0
  /** Inside an array: `first` right after `[`, `value` after a comma, `after` after an element. */
  let state: 'first' | 'value' | 'after' = 'value'
  let turnAt = SLICE
  for (let at = 0; at < text.length; ) {
    const char = text[at] as string
    if (isSpace(char.charCodeAt(0))) {
      at++
      continue
    }
    if (at >= turnAt) {
      await nextTurn()
      turnAt = at + SLICE
    }
    if (state === 'after' || (state === 'first' && char === ']')) {
      if (char === ']') arrays--
      else if (char !== ',' || state === 'first') invalid()
      state = char === ',' ? 'value' : 'after'
      at++
    } else if (char === '[') {
      if (arrays === MAX_JSON_DEPTH) tooDeep()
      arrays++
      state = 'first'
      at++
    } else {
      const end = endOfValue(text, at, arrays, MAX_RECORD_CONTAINERS)
      onRecord(parse(text.slice(at, end)))
      state = 'after'
      at = end
    }
    if (arrays === 0) state = 'value'
  }
  if (arrays > 0) invalid()
}

/**
 * End (exclusive) of the value starting at `start`; containers are scanned for their keys and their depth. `depth`
 * containers already enclose it; it may open at most `maxContainers`.
 */
function endOfValue(text: string, start: number, depth = 0, maxContainers = Number.POSITIVE_INFINITY): number {
  const first = text[start]
  if (first === '"') return endOfString(text, start) + 1
  if (first !== '{' && first !== '[') {
    let end = start
    while (end < text.length && !isSpace(text.charCodeAt(end)) && !'{["],}'.includes(text[end] as string)) end++
    return end
  }
  let containers = 0
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
      if (open.length + depth === MAX_JSON_DEPTH) tooDeep()
      if (++containers > maxContainers) tooMany(maxContainers)
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

function parse(value: string): unknown {
  try {
    return JSON.parse(value)
  } catch {
    return invalid()
  }
}

function invalid(): never {
  throw new GatewayError('BAD_REQUEST', { message: 'The request body is not valid JSON' })
}

function tooMany(max: number): never {
  throw new GatewayError('BAD_REQUEST', {
    message: `A record of the body holds more than ${max} arrays and objects (a batch counts as one record)`,
  })
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
