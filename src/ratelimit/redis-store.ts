// The Redis LimitStore (ioredis, standalone or Cluster): one cached Lua script per decision, fail-fast when Redis is down.
import { randomBytes } from 'node:crypto'
import { Cluster, Redis } from 'ioredis'
import type { BucketSpec, Decision, LimitStore } from './limit-store.js'
import { ACQUIRE_LUA, GCRA_LUA } from './redis-scripts.js'

export interface RedisStoreOptions {
  url: string
  /** Connect as a Redis Cluster client, the url naming one seed node. */
  cluster: boolean
  keyPrefix: string
  /** A command that takes longer fails, so a hung Redis never holds a request longer than this. */
  commandTimeoutMs: number
  /** Connection errors (Redis down, refused); the store reconnects by itself. */
  onError(error: Error): void
  /** Connected (again): ends an outage even before the next request. */
  onReady(): void
}

/** The scripts, as ioredis defines them: EVALSHA with the script cached per connection, EVAL again after NOSCRIPT. */
interface ScriptCommands {
  gcra(keyCount: number, ...args: (string | number)[]): Promise<number[]>
  acquireSlot(key: string, now: number, max: number, leaseMs: number, lease: string): Promise<number>
}

export function createRedisStore(options: RedisStoreOptions): LimitStore {
  const client = connect(options)
  const scripts = client as unknown as ScriptCommands
  client.defineCommand('gcra', { lua: GCRA_LUA })
  client.defineCommand('acquireSlot', { lua: ACQUIRE_LUA, numberOfKeys: 1 })
  client.on('error', options.onError)
  client.on('ready', options.onReady)
  const prefix = options.keyPrefix
  // Lease ids must be unique across replicas.
  const replica = randomBytes(6).toString('base64url')
  let nextLease = 0
  const ready = new Promise<void>((resolve) => {
    client.once('ready', resolve)
    client.once('error', () => resolve())
  })

  return {
    async consume(keys, specs: readonly BucketSpec[], costs, now, force): Promise<Decision> {
      const args: (string | number)[] = [now, force ? 1 : 0]
      for (let i = 0; i < specs.length; i++) {
        const spec = specs[i] as BucketSpec
        args.push(spec.windowMs / spec.limit, spec.windowMs, costs[i] as number)
      }
      const reply = await scripts.gcra(keys.length, ...keys.map((key) => prefix + key), ...args)
      const buckets = keys.map((_, i) => ({
        remaining: reply[1 + 3 * i] as number,
        resetMs: reply[2 + 3 * i] as number,
        retryAfterMs: reply[3 + 3 * i] as number,
      }))
      return { allowed: reply[0] === 1, buckets }
    },
    async acquire(key, max, leaseMs, now) {
      const lease = `${replica}:${++nextLease}`
      return (await scripts.acquireSlot(prefix + key, now, max, leaseMs, lease)) === 1 ? lease : undefined
    },
    async release(key, lease) {
      await client.zrem(prefix + key, lease)
    },
    async get(key) {
      return (await client.get(prefix + key)) ?? undefined
    },
    async set(key, value, ttlMs) {
      await client.set(prefix + key, value, 'PX', Math.max(1, Math.ceil(ttlMs)))
    },
    async delete(key) {
      await client.del(prefix + key)
    },
    isAvailable: () => client.status === 'ready',
    warmUp: () => ready,
    async close() {
      client.disconnect()
    },
  }
}

function connect(options: RedisStoreOptions): Redis | Cluster {
  const redisOptions = {
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: 2_000,
    // Fail fast instead of queueing while disconnected: the limiter then fails open or closed at once.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt: number) => Math.min(attempt * 100, 2_000),
  }
  if (!options.cluster) return new Redis(options.url, redisOptions)
  return new Cluster([options.url], {
    redisOptions,
    enableOfflineQueue: false,
    clusterRetryStrategy: redisOptions.retryStrategy,
  })
}
