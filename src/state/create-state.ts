// createSharedState: the backend the config names (Redis when a URL is set, else this process's memory).
import type { RateLimitConfig } from '../config/schema.js'
import { createMemoryState } from './memory-state.js'
import { createRedisState } from './redis-state.js'
import type { SharedState } from './shared-state.js'

/** The store settings live in the `rateLimit` section (`redis`, `memory`), where the first shared state lived. */
export function createSharedState(config: Pick<RateLimitConfig, 'redis' | 'memory'>): SharedState {
  const { url, ...redis } = config.redis
  return url ? createRedisState({ ...redis, url }) : createMemoryState({ maxKeys: config.memory.maxKeys })
}
