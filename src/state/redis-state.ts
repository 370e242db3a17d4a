// The Redis SharedState (ioredis, standalone or Cluster, loaded only when configured): one script per step, fail-fast.
import { randomBytes } from 'node:crypto'
import type { Cluster, Redis } from 'ioredis'
import type { BucketSpec, BucketStore, Decision } from './bucket-store.js'
import type { RecordStore } from './record-store.js'
import { CLAIM_LUA, GCRA_LUA, JOIN_LUA, REFRESH_LUA, RELEASE_LUA } from './redis-scripts.js'
import type { ConnectionListener, SharedState } from './shared-state.js'

export interface RedisStateOptions {
  url: string
  /** Connect as a Redis Cluster client, the url naming one seed node. */
  cluster: boolean
  keyPrefix: string
  /** A command that takes longer fails, so a hung Redis never holds a request longer than this. */
  commandTimeoutMs: number
  /** Real time for command deadlines (never an injected test clock); default Date.now. */
  wallClock?: () => number
}

/** The scripts, as ioredis defines them: EVALSHA with the script cached per connection, EVAL again after NOSCRIPT. */
interface ScriptCommands {
  gcra(keyCount: number, ...args: (string | number)[]): Promise<number[]>
  join(key: string, ...args: (string | number)[]): Promise<number>
  claim(key: string, ...args: (string | number)[]): Promise<string>
  refresh(key: string, ...args: (string | number)[]): Promise<number>
  release(key: string, ...args: (string | number)[]): Promise<number>
}

type Client = Redis | Cluster

export function createRedisState(options: RedisStateOptions): SharedState {
  const wallClock = options.wallClock ?? Date.now
  const prefix = options.keyPrefix
  const listeners: ConnectionListener[] = []
  // Lease ids must be unique across replicas.
  const replica = randomBytes(6).toString('base64url')
  let nextLease = 0
  let client: Client | undefined
  /** Redis's clock minus ours, measured on every (re)connect; commands wait for it. */
  let offsetMs: number | undefined
  /** How far the offset may be off: half the round trip that measured it, plus the clocks' millisecond rounding. */
  let offsetErrorMs = 0
  let closed = false
  // Warm-up ends when the first connection is usable (clock offset known) or has failed: it never blocks start-up.
  let warmedUp: () => void = () => {}
  const ready = new Promise<void>((resolve) => {
    warmedUp = resolve
  })

  // Loaded here, not at the top: a gateway without Redis never loads the client library.
  const loading = import('ioredis').then((ioredis) => {
    const loaded = connect(ioredis, options)
    client = loaded
    for (const [name, lua] of Object.entries({ claim: CLAIM_LUA, refresh: REFRESH_LUA, release: RELEASE_LUA })) {
      loaded.defineCommand(name, { lua, numberOfKeys: 1 })
    }
    loaded.defineCommand('gcra', { lua: GCRA_LUA })
    loaded.defineCommand('join', { lua: JOIN_LUA, numberOfKeys: 1 })
    loaded.on('error', (error: Error) => {
      warmedUp()
      for (const listener of listeners) listener.onError(error)
    })
    loaded.on('close', () => {
      offsetMs = undefined
    })
    loaded.on('ready', () => {
      measureOffset(loaded).then(
        () => {
          warmedUp()
          for (const listener of listeners) listener.onReady()
        },
        (error: Error) => {
          for (const listener of listeners) listener.onError(error)
        },
      )
    })
    if (closed) loaded.disconnect()
    return loaded
  })
  let loadError: Error | undefined
  loading.catch((error: Error) => {
    loadError = error
    warmedUp()
  })
  async function measureOffset(loaded: Client): Promise<void> {
    const before = wallClock()
    const [seconds, micros] = (await loaded.time()) as [string | number, string | number]
    const after = wallClock()
    offsetMs = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) - (before + after) / 2
    offsetErrorMs = (after - before) / 2 + 2
  }

  /** Commands wait for the clock offset as well as the connection. */
  const connected = () => client?.status === 'ready' && offsetMs !== undefined

  /** Fail fast while not connected (no offline queue): the caller fails open or closed at once. */
  function scripts(): ScriptCommands {
    if (loadError) throw loadError
    if (!connected()) throw new Error('Redis is not connected')
    return client as unknown as ScriptCommands
  }
  /**
   * When the command's answer is due, in Redis's clock: a script that starts later does nothing (redis-scripts.ts).
   * Early by the offset's error, so no script can still run once the client has given up on it.
   */
  const deadline = () => Math.floor(wallClock() + (offsetMs as number) + options.commandTimeoutMs - offsetErrorMs)

  const buckets: BucketStore = {
    async consume(keys, specs: readonly BucketSpec[], costs, now, force): Promise<Decision> {
      const run = scripts()
      const args: (string | number)[] = [deadline(), now, force ? 1 : 0]
      for (let i = 0; i < specs.length; i++) {
        const spec = specs[i] as BucketSpec
        args.push(spec.windowMs / spec.limit, spec.windowMs, costs[i] as number)
      }
      const reply = await run.gcra(keys.length, ...keys.map((key) => prefix + key), ...args)
      const states = keys.map((_, i) => ({
        remaining: reply[1 + 3 * i] as number,
        resetMs: reply[2 + 3 * i] as number,
        retryAfterMs: reply[3 + 3 * i] as number,
      }))
      return { allowed: reply[0] === 1, buckets: states }
    },
    async acquire(key, max, leaseMs, now) {
      const run = scripts()
      const lease = `${replica}:${++nextLease}`
      return (await run.join(prefix + key, deadline(), now, max, leaseMs, lease, '')) === 1 ? lease : undefined
    },
    async release(key, lease) {
      scripts()
      await (client as Client).zrem(prefix + key, lease)
    },
  }

  const records: RecordStore = {
    async claim(key, value, ttlMs, now) {
      const run = scripts()
      return run.claim(prefix + key, deadline(), now, Math.ceil(ttlMs), value)
    },
    async read(key, now) {
      scripts()
      const stored = await (client as Client).get(prefix + key)
      const space = stored?.indexOf(' ') ?? -1
      if (stored == null || space < 0 || Number(stored.slice(0, space)) <= now) return undefined
      return stored.slice(space + 1)
    },
    async refresh(key, value, ttlMs, now) {
      const run = scripts()
      return (await run.refresh(prefix + key, deadline(), now, Math.ceil(ttlMs), value)) === 1
    },
    async release(key, value, now) {
      const run = scripts()
      return (await run.release(prefix + key, deadline(), now, value)) === 1
    },
    async join(set, member, max, ttlMs, now, replacing) {
      const run = scripts()
      const args = [deadline(), now, max, Math.ceil(ttlMs), member, replacing ?? '']
      return (await run.join(prefix + set, ...args)) === 1
    },
    async leave(set, member) {
      scripts()
      await (client as Client).zrem(prefix + set, member)
    },
  }

  return {
    buckets,
    records,
    isAvailable: connected,
    watch: (listener) => {
      listeners.push(listener)
    },
    warmUp: () => ready,
    async close() {
      closed = true
      client?.disconnect()
      await loading.catch(() => {})
    },
  }
}

function connect(ioredis: { Redis: typeof Redis; Cluster: typeof Cluster }, options: RedisStateOptions): Client {
  const redisOptions = {
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: 2_000,
    // Fail fast instead of queueing while disconnected, and never send a command twice: a command that failed was
    // answered (maybe let through), so it must not be applied after a reconnect or failover.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    retryStrategy: (attempt: number) => Math.min(attempt * 100, 2_000),
  }
  if (!options.cluster) return new ioredis.Redis(options.url, redisOptions)
  return new ioredis.Cluster([options.url], {
    redisOptions,
    enableOfflineQueue: false,
    clusterRetryStrategy: redisOptions.retryStrategy,
  })
}
