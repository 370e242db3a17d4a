// The client's address for per-IP limits: the socket's, or X-Forwarded-For's behind trusted proxies; IPv6 keyed by /64.
import type { IncomingMessage } from 'node:http'
import { isIP } from 'node:net'

export type ClientKeyOf = (req: IncomingMessage) => string

/**
 * With `trustedHops` proxies in front, the client is the address the outermost trusted proxy saw: the hops-th entry of
 * X-Forwarded-For counted from the right (each proxy appends the address it received from). Entries further left were
 * written by the client and are never believed. With 0 hops the header is ignored entirely.
 */
export function createClientKey(trustedHops: number): ClientKeyOf {
  return function clientKeyOf(req) {
    const socketAddress = req.socket.remoteAddress ?? ''
    if (trustedHops === 0) return addressKey(socketAddress)
    const header = req.headers['x-forwarded-for']
    if (!header) return addressKey(socketAddress)
    const chain = (Array.isArray(header) ? header.join(',') : header).split(',')
    const entry = chain[Math.max(0, chain.length - trustedHops)] as string
    const address = stripPort(entry.trim())
    return addressKey(isIP(address) ? address : socketAddress)
  }
}

/** IPv4 as is; IPv6 by its /64 prefix, since one host usually holds a whole /64; IPv4-mapped IPv6 as IPv4. */
export function addressKey(address: string): string {
  if (!address.includes(':')) return address
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (mapped) return mapped[1] as string
  return `${expandIpv6(address.split('%', 1)[0] as string)
    .slice(0, 4)
    .join(':')}::/64`
}

/** `2001:db8::1` → the eight groups, without leading zeros, lower case. */
function expandIpv6(address: string): string[] {
  const [head = '', tail] = address.toLowerCase().split('::', 2)
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  const groups = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
  return groups.map((group) => group.replace(/^0+(?=.)/, ''))
}

/** `1.2.3.4:5678` and `[2001:db8::1]:443` → the address alone. */
function stripPort(entry: string): string {
  if (entry.startsWith('[')) return entry.slice(1, entry.indexOf(']'))
  const colon = entry.indexOf(':')
  return colon !== -1 && colon === entry.lastIndexOf(':') ? entry.slice(0, colon) : entry
}
