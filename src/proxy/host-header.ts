// The Host header as the gateway accepts it: host[:port] and nothing else, since it may end up inside a URL it builds.
import { isIPv6 } from 'node:net'

/** A DNS name or IPv4 address: labels of letters, digits, `-` and `_`, separated by single dots. */
const NAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*\.?$/
const PORT = /^[0-9]{1,5}$/
const MAX_HOST_LENGTH = 255

/**
 * True for `name`, `name:port`, `1.2.3.4:port`, `[v6]` or `[v6]:port`, with a port from 0 to 65535. False for anything
 * with userinfo (`@`), a path, query or fragment, spaces, an unbracketed IPv6 address, or an empty part. Linear: two
 * regexes without nested quantifiers over at most 255 characters.
 */
export function isValidHost(value: string): boolean {
  if (value.length === 0 || value.length > MAX_HOST_LENGTH) return false
  let host = value
  let port: string | undefined
  if (value.startsWith('[')) {
    const close = value.indexOf(']')
    if (close === -1) return false
    host = value.slice(1, close)
    const rest = value.slice(close + 1)
    if (rest !== '') {
      if (!rest.startsWith(':')) return false
      port = rest.slice(1)
    }
    if (!isIPv6(host)) return false
  } else {
    const colon = value.indexOf(':')
    if (colon !== -1) {
      host = value.slice(0, colon)
      port = value.slice(colon + 1)
    }
    if (!NAME.test(host)) return false
  }
  return port === undefined || (PORT.test(port) && Number(port) <= 65_535)
}
