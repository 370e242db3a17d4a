// Every SharedState backend for the contract suites: memory, and Redis / Redis Cluster on a real redis-server.
import { createMemoryState } from '../../src/state/memory-state.js'
import { createRedisState } from '../../src/state/redis-state.js'
import type { SharedState } from '../../src/state/shared-state.js'
import { type RedisServer, startRedis } from './redis.js'

export interface Backend {
  name: string
  create(): Promise<SharedState>
}

/** The backends, and a close() for the redis-servers they started. */
export function stateBackends(): { backends: Backend[]; close(): Promise<void> } {
  const servers: RedisServer[] = []
  const redis = async (cluster: boolean) => {
    const server = await startRedis({ cluster })
    servers.push(server)
    const state = createRedisState({ url: server.url, cluster, keyPrefix: 'contract:', commandTimeoutMs: 1_000 })
    await state.warmUp()
    return state
  }
  return {
    backends: [
      { name: 'memory', create: async () => createMemoryState({ maxKeys: 10_000 }) },
      { name: 'redis', create: () => redis(false) },
      // Every key of one step shares its `{hash tag}`, so multi-key scripts run on a cluster (else CROSSSLOT).
      { name: 'redis cluster', create: () => redis(true) },
    ],
    close: async () => {
      await Promise.all(servers.map((server) => server.close()))
    },
  }
}
