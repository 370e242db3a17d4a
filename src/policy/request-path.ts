// The request path as the policy judges it: refused when ambiguous, else split and percent-decoded once, like Jersey.
import { GatewayError } from '../errors/gateway-error.js'

/**
 * Characters allowed unencoded in a path (RFC 3986 pchar and `/`), by char code. Left out on purpose: `;` (Jersey
 * strips matrix parameters, so `/topics/t;x=1` would be judged as one topic and read as another), `\` (WHATWG URL
 * parsing, as in many servers and proxies, turns it into `/`), `#` (URL parsers drop the rest) and everything a client
 * must encode.
 */
const ALLOWED = new Uint8Array(128)
for (const char of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,=:@/%") {
  ALLOWED[char.charCodeAt(0)] = 1
}

const SLASH = 0x2f
const PERCENT = 0x25

/**
 * The decoded, non-empty path segments of a request target (a trailing `/` is ignored, as Jersey matches routes with
 * or without it). Throws BAD_REQUEST for anything the upstream could read differently from the policy: absolute-form
 * targets, `//`, dot segments (raw or encoded), encoded `/`, `\` or `%` (double encoding), encoded control characters,
 * and percent-encoded bytes that are not UTF-8. The path is never rewritten: what was judged is what is forwarded.
 */
export function parseRequestPath(url: string): string[] {
  if (url.charCodeAt(0) !== SLASH) refuse('the request target must be a path (absolute-form and * are not accepted)')
  let encoded = false
  let end = url.length
  for (let i = 1; i < url.length; i++) {
    const code = url.charCodeAt(i)
    if (code === 0x3f) {
      end = i
      break
    }
    if (code >= 128 || ALLOWED[code] !== 1) refuse(`the character ${describe(code)} must be percent-encoded`)
    if (code === SLASH && url.charCodeAt(i - 1) === SLASH) refuse('empty path segments (//) are not accepted')
    if (code === PERCENT) {
      checkEscape(url, i)
      encoded = true
      i += 2
    }
  }
  const segments = url.slice(1, end).split('/')
  if (segments[segments.length - 1] === '') segments.pop()
  for (let i = 0; i < segments.length; i++) {
    const segment = encoded ? decodeSegment(segments[i] as string) : (segments[i] as string)
    if (segment === '.' || segment === '..') refuse('dot segments (. and ..) are not accepted, in any encoding')
    segments[i] = segment
  }
  return segments
}

function checkEscape(url: string, at: number): void {
  const high = hexValue(url.charCodeAt(at + 1))
  const low = hexValue(url.charCodeAt(at + 2))
  if (high < 0 || low < 0) refuse('a % must be followed by two hex digits')
  const byte = high * 16 + low
  if (byte === SLASH || byte === 0x5c) refuse('encoded slashes and backslashes (%2F, %5C) are not accepted')
  if (byte === PERCENT) refuse('double encoding (%25) is not accepted')
  if (byte < 0x20 || byte === 0x7f) refuse('encoded control characters are not accepted')
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30
  const lower = code | 0x20
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : -1
}

function decodeSegment(segment: string): string {
  if (!segment.includes('%')) return segment
  try {
    return decodeURIComponent(segment)
  } catch {
    return refuse('percent-encoded bytes must be UTF-8')
  }
}

function describe(code: number): string {
  return code >= 0x21 && code < 0x7f ? `"${String.fromCharCode(code)}"` : `U+${code.toString(16).padStart(4, '0')}`
}

function refuse(reason: string): never {
  throw new GatewayError('BAD_REQUEST', { message: `The request path is refused: ${reason}` })
}
