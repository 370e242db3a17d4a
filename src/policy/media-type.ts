// RFC 9110 media types: one Content-Type value (§8.3.1) or an Accept list with weights (§12.5.1), parsed strictly.

/** A media range from Accept: lower-cased type and subtype (`*` for wildcards) and its weight. */
export interface MediaRange {
  type: string
  subtype: string
  /** `type/subtype`, lower-cased. */
  essence: string
  q: number
}

interface Cursor {
  text: string
  pos: number
}

/** RFC 9110 §5.6.2 tchar, as a lookup table by char code. */
const TCHAR = new Uint8Array(128)
for (const char of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
  TCHAR[char.charCodeAt(0)] = 1
}

/** RFC 9110 §12.4.2 qvalue; any number of decimals is tolerated (Jersey does), the range is not. */
const QVALUE = /^(?:0(?:\.\d*)?|1(?:\.0*)?)$/

/** The lower-cased `type/subtype` of a Content-Type value; undefined when it is not exactly one valid media type. */
export function parseContentType(value: string): string | undefined {
  const cursor = { text: value, pos: 0 }
  skipSpace(cursor)
  const parsed = mediaType(cursor)
  skipSpace(cursor)
  return parsed && cursor.pos === value.length ? `${parsed.type}/${parsed.subtype}` : undefined
}

/** The ranges of an Accept value (empty list elements allowed); undefined when any element is malformed. */
export function parseAccept(value: string): MediaRange[] | undefined {
  const cursor = { text: value, pos: 0 }
  const ranges: MediaRange[] = []
  for (;;) {
    skipSpace(cursor)
    if (cursor.pos === value.length) return ranges
    if (value[cursor.pos] === ',') {
      cursor.pos++
      continue
    }
    const parsed = mediaType(cursor)
    if (!parsed || (parsed.type === '*' && parsed.subtype !== '*')) return undefined
    const q = weightOf(parsed.params)
    if (q === undefined) return undefined
    ranges.push({ type: parsed.type, subtype: parsed.subtype, essence: `${parsed.type}/${parsed.subtype}`, q })
    skipSpace(cursor)
    if (cursor.pos < value.length && value[cursor.pos] !== ',') return undefined
  }
}

interface Parsed {
  type: string
  subtype: string
  params: Array<[name: string, value: string]>
}

function mediaType(cursor: Cursor): Parsed | undefined {
  const type = token(cursor)
  if (type === undefined || cursor.text[cursor.pos] !== '/') return undefined
  cursor.pos++
  const subtype = token(cursor)
  if (subtype === undefined) return undefined
  const params: Parsed['params'] = []
  for (;;) {
    const before = cursor.pos
    skipSpace(cursor)
    if (cursor.text[cursor.pos] !== ';') {
      cursor.pos = before
      return { type: type.toLowerCase(), subtype: subtype.toLowerCase(), params }
    }
    cursor.pos++
    skipSpace(cursor)
    // `parameters = *( OWS ";" OWS [ parameter ] )`: an empty parameter is allowed.
    const next = cursor.text[cursor.pos]
    if (next === undefined || next === ';' || next === ',') continue
    const name = token(cursor)
    if (name === undefined || cursor.text[cursor.pos] !== '=') return undefined
    cursor.pos++
    const paramValue = cursor.text[cursor.pos] === '"' ? quotedString(cursor) : token(cursor)
    if (paramValue === undefined) return undefined
    params.push([name.toLowerCase(), paramValue])
  }
}

/** The `q` parameter (1 when absent); undefined when it is malformed or given twice. */
function weightOf(params: Parsed['params']): number | undefined {
  let q: number | undefined
  for (const [name, value] of params) {
    if (name !== 'q') continue
    if (q !== undefined || !QVALUE.test(value)) return undefined
    q = Number(value)
  }
  return q ?? 1
}

function token(cursor: Cursor): string | undefined {
  const start = cursor.pos
  const { text } = cursor
  while (cursor.pos < text.length && TCHAR[text.charCodeAt(cursor.pos)] === 1) cursor.pos++
  return cursor.pos === start ? undefined : text.slice(start, cursor.pos)
}

function quotedString(cursor: Cursor): string | undefined {
  const { text } = cursor
  let result = ''
  for (let i = cursor.pos + 1; i < text.length; i++) {
    const char = text[i]
    if (char === '"') {
      cursor.pos = i + 1
      return result
    }
    if (char === '\\') i++
    result += text[i] ?? ''
  }
  return undefined
}

function skipSpace(cursor: Cursor): void {
  while (cursor.text[cursor.pos] === ' ' || cursor.text[cursor.pos] === '\t') cursor.pos++
}
