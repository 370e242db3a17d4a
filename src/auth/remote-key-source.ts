// A JWKS that survives rotation and outages: single-flight fetches, refetch on unknown `kid` at most once per cooldown,
// periodic refresh, and the last good key set kept whenever the identity provider fails or answers garbage.
import * as errors from 'jose/errors'
import { GatewayError } from '../errors/gateway-error.js'
import { fetchJwks } from './jwks-fetch.js'
import type { KeyFinder, KeySource } from './key-source.js'
import { keyFinder } from './key-source.js'

export interface RemoteKeySourceOptions {
  /** The JWKS URL, or the function that finds it before each fetch (OIDC discovery). */
  url: string | ((signal: AbortSignal) => Promise<string>)
  timeoutMs: number
  maxBytes: number
  cooldownMs: number
  refreshMs: number
  /** Milliseconds since the epoch; injected so tests can move time. */
  now: () => number
  /** A failed fetch (the last good key set stays in use). */
  onError: (error: Error) => void
  /** A successful fetch (metrics). */
  onLoaded?: () => void
}

export function createRemoteKeySource(options: RemoteKeySourceOptions): KeySource {
  const { url, timeoutMs, maxBytes, cooldownMs, refreshMs, now } = options
  const closing = new AbortController()
  let finder: KeyFinder | undefined
  let loadedJson = ''
  let revision = 0
  let lastFetchAt = Number.NEGATIVE_INFINITY
  let inFlight: Promise<void> | undefined
  let timer: NodeJS.Timeout | undefined

  /** At most one download at a time: every caller joins the one in flight. */
  function refresh(): Promise<void> {
    inFlight ??= load().finally(() => {
      inFlight = undefined
    })
    return inFlight
  }

  async function load(): Promise<void> {
    lastFetchAt = now()
    let loaded = false
    try {
      const jwksUrl = typeof url === 'string' ? url : await url(closing.signal)
      const jwks = await fetchJwks(jwksUrl, { timeoutMs, maxBytes, signal: closing.signal })
      const json = JSON.stringify(jwks.keys)
      if (json !== loadedJson) {
        finder = keyFinder(jwks)
        loadedJson = json
        revision++
      }
      loaded = true
      options.onLoaded?.()
    } catch (error) {
      if (!closing.signal.aborted) options.onError(error as Error)
    }
    // After a failure, retry sooner (once per cooldown) than the regular refresh.
    schedule(loaded ? refreshMs : cooldownMs)
  }

  function schedule(delayMs: number): void {
    if (closing.signal.aborted) return
    clearTimeout(timer)
    timer = setTimeout(() => void refresh(), delayMs)
    // The refresh never keeps the process alive on its own.
    timer.unref()
  }

  async function keysFor(header: Parameters<KeyFinder>[0]): Promise<readonly CryptoKey[]> {
    if (finder) {
      try {
        return await finder(header)
      } catch (error) {
        if (!(error instanceof errors.JWKSNoMatchingKey)) throw error
      }
    }
    // Unknown `kid` (a rotation, or a forgery): join a fetch in flight, or start one if the cooldown allows it.
    if (inFlight) await inFlight
    else if (now() - lastFetchAt >= cooldownMs) await refresh()
    if (!finder) throw new GatewayError('KEYS_UNAVAILABLE')
    return finder(header)
  }

  return {
    keysFor,
    get revision() {
      return revision
    },
    isReady: () => finder !== undefined,
    warmUp: () => (finder ? Promise.resolve() : refresh()),
    close() {
      closing.abort()
      clearTimeout(timer)
    },
  }
}
