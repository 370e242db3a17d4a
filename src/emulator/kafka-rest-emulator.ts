// Public API of the in-memory Kafka REST Proxy emulator: options, recorded requests, start and close.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ApiKeyCheck } from './auth.js'
import { closeIdleConnections } from './connection-behaviour.js'
import { ConsumerRegistry } from './consumer-instances.js'
import { EMULATOR_ROUTES } from './emulator-routes.js'
import { handleRequest, type RequestDeps } from './handle-request.js'
import type { EmulatorState } from './handler-context.js'
import type { RecordedRequest } from './recorded-request.js'
import { recordRequest } from './request-recorder.js'
import { createRouter } from './router.js'
import { SchemaIds } from './schema-ids.js'
import { TopicStore } from './topic-store.js'

export type { RecordedRequest }

export interface EmulatorOptions {
  /** Accepted X-Auth-Token values; anything else → 401 {"error_code":40101,"message":"Unauthorized"}. */
  apiKeys: string[]
  /** Default 127.0.0.1. */
  host?: string
  /** Default 0 (ephemeral). */
  port?: number
  /** Initial topics → partition count; default { test: 1 }. Produce auto-creates unknown topics with 1 partition. */
  topics?: Record<string, number>
  /** Cap on the server-side wait of reads (default 1000, the proxy's consumer.request.timeout.ms). */
  maxWaitMs?: number
  /** Recorded request bodies are kept only up to this many bytes (default 64 KiB); sha256 and length always. */
  recordBodyLimit?: number
  /** Gzip every JSON answer whose request accepts gzip, like Confluent's `compression.enable` (default false). */
  compress?: boolean
  /**
   * Close keep-alive connections idle this long, without a `Keep-Alive: timeout` hint, like Jetty (default: Node's own
   * 5 s timer, which does send the hint).
   */
  idleTimeoutMs?: number
  /** Called just before a connection idle for `idleTimeoutMs` is closed. */
  onIdleClose?: () => void
}

export interface Emulator {
  /** http://<host>:<port> */
  url: string
  /** Every request received, in order (401s too). */
  requests: RecordedRequest[]
  clearRequests(): void
  setApiKeys(keys: string[]): void
  topicRecords(topic: string, partition?: number): Array<{ key: Buffer | null; value: Buffer | null; offset: number }>
  /** Ends pending long polls, closes the server and every socket. */
  close(): Promise<void>
}

const DEFAULTS = { host: '127.0.0.1', port: 0, maxWaitMs: 1000, recordBodyLimit: 64 * 1024 }
/** How long close() lets answers in progress reach their sockets before destroying them. */
const CLOSE_GRACE_MS = 1000

export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const host = options.host ?? DEFAULTS.host
  const state: EmulatorState = {
    store: new TopicStore(options.topics ?? { test: 1 }),
    consumers: new ConsumerRegistry(),
    schemas: new SchemaIds(),
    maxWaitMs: options.maxWaitMs ?? DEFAULTS.maxWaitMs,
  }
  const auth = new ApiKeyCheck(options.apiKeys)
  const requests: RecordedRequest[] = []
  const bodyLimit = options.recordBodyLimit ?? DEFAULTS.recordBodyLimit
  const closing = new AbortController()
  const inFlight = new Set<Promise<unknown>>()
  const deps: RequestDeps = {
    state,
    auth,
    route: createRouter(EMULATOR_ROUTES),
    record: (req, body) => {
      requests.push(recordRequest(req, body, bodyLimit))
    },
    closing: closing.signal,
    compress: options.compress ?? false,
    track: (answer) => {
      inFlight.add(answer)
      return answer.finally(() => inFlight.delete(answer))
    },
  }
  const server = createServer((req, res) => void handleRequest(req, res, deps))
  if (options.idleTimeoutMs !== undefined) closeIdleConnections(server, options.idleTimeoutMs, options.onIdleClose)
  const port = await listen(server, host, options.port ?? DEFAULTS.port)
  let closed: Promise<void> | undefined
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    requests,
    clearRequests: () => {
      requests.length = 0
    },
    setApiKeys: (keys) => auth.setKeys(keys),
    topicRecords: (topic, partition) => topicRecords(state.store, topic, partition),
    close: () => {
      closed ??= shutdown(server, closing, inFlight)
      return closed
    },
  }
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

/** Wakes long polls so they answer [], lets answers go out (for at most a grace period), then drops every socket. */
async function shutdown(server: Server, closing: AbortController, inFlight: Set<Promise<unknown>>): Promise<void> {
  closing.abort()
  const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()))
  let grace: NodeJS.Timeout | undefined
  const graceOver = new Promise<void>((resolve) => {
    grace = setTimeout(resolve, CLOSE_GRACE_MS)
  })
  await Promise.race([Promise.allSettled([...inFlight]), graceOver])
  clearTimeout(grace)
  server.closeAllConnections()
  await serverClosed
}

function topicRecords(store: TopicStore, topic: string, partition?: number) {
  const partitions = partition === undefined ? store.partitionsOf(topic).map((tp) => tp.partition) : [partition]
  return partitions.flatMap((p) => store.read(topic, p, 0).map(({ key, value, offset }) => ({ key, value, offset })))
}
