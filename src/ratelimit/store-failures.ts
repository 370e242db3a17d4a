// What a request gets when the limit store fails: through (failOpen, counted, logged once per outage) or a 503.
import { GatewayError } from '../errors/gateway-error.js'
import type { Logger } from '../observability/logger.js'
import type { LimitStats } from './limit-stats.js'

export interface StoreFailures {
  /** Call after every successful store call: ends an outage, if one was going on. */
  succeeded(): void
  /**
   * Call when a store call failed: counts it, logs the start of an outage once, and either returns (failOpen: the
   * caller lets the request through) or throws the 503 refusal (failClosed).
   */
  failed(error: unknown): void
  /** For work after the answer (charging a streamed body, giving a slot back): counted and logged, never thrown. */
  ignored(error: unknown): void
  /** Connection errors from the Redis client: logged once per outage, not counted (no request failed). */
  observe(error: unknown): void
}

export function createStoreFailures(mode: 'failOpen' | 'failClosed', logger: Logger, stats: LimitStats): StoreFailures {
  let outage = false
  // The refusal does not depend on the request: built once.
  const unavailable = { 'Retry-After': '1' }
  const observe = (error: unknown) => {
    if (outage) return
    outage = true
    const reason = error instanceof Error ? error.message : String(error)
    logger.warn(
      { reason, onStoreError: mode },
      `rate-limit store unavailable: ${mode === 'failOpen' ? 'letting requests through' : 'refusing requests with 503'}`,
    )
  }
  return {
    succeeded() {
      if (!outage) return
      outage = false
      logger.info('rate-limit store available again: limits apply')
    },
    failed(error) {
      stats.storeErrors++
      observe(error)
      if (mode === 'failOpen') {
        stats.failedOpen++
        return
      }
      stats.failedClosed++
      throw new GatewayError('LIMITS_UNAVAILABLE', { headers: unavailable, cause: error })
    },
    ignored(error) {
      stats.storeErrors++
      observe(error)
    },
    observe,
  }
}
