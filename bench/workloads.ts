// The benchmark's workloads as data: what each cell sends, on how many connections, and which contenders run it.

export const V1_BINARY = 'application/vnd.kafka.binary.v1+json'
export const V2_BINARY = 'application/vnd.kafka.binary.v2+json'
export const V2 = 'application/vnd.kafka.v2+json'

export type LoadWorkloadName =
  | 'produce-1k'
  | 'consume'
  | 'produce-1m'
  | 'produce-1k-paced'
  | 'consume-paced'
  | 'produce-1k-one'
  | 'consume-one'
export type MemoryWorkloadName = 'produce-10m' | 'long-polls'
export type WorkloadName = LoadWorkloadName | MemoryWorkloadName | 'soak'

export interface LoadWorkload {
  name: LoadWorkloadName
  title: string
  method: 'GET' | 'POST'
  /** The request path, given the consumer instance path created through the contender. */
  path(consumer: string): string
  headers: Readonly<Record<string, string>>
  body?: Buffer
  /** Whether the cold-token contender runs it (verification cost matters for small requests, not for 1 MiB bodies). */
  cold: boolean
  /**
   * A fixed request rate every target sustains: latency added by a proxy, not the queueing of a saturated one (at
   * saturation, latency is connections ÷ throughput, so a slower proxy's p99 says nothing about what it adds).
   */
  rate?: number
  /** Connections for this cell (default: BENCH_CONNECTIONS); with one, each request waits for the previous answer. */
  connections?: number
}

/** The paced cells' rate: well within what each target does on one core. */
export const PACED_RATE = 1_000

/** A v1 binary produce body of about `bytes` bytes: one record whose base64 value fills the rest. */
export function produceBody(bytes: number): Buffer {
  const frame = '{"records":[{"value":""}]}'
  const valueLength = Math.max(4, Math.floor((bytes - frame.length) / 4) * 4)
  const value = Buffer.alloc((valueLength / 4) * 3, 7).toString('base64')
  return Buffer.from(`{"records":[{"value":"${value}"}]}`)
}

const produce1k = {
  method: 'POST',
  path: () => '/topics/bench',
  headers: { 'content-type': V1_BINARY, accept: 'application/vnd.kafka.v1+json' },
  body: produceBody(1024),
} as const
const consume = {
  method: 'GET',
  path: (consumer: string) => `${consumer}/records`,
  headers: { accept: V2_BINARY },
} as const

export const loadWorkloads: readonly LoadWorkload[] = [
  { name: 'produce-1k', title: 'v1 binary produce, 1 KiB', ...produce1k, cold: true },
  { name: 'consume', title: 'v2 consume GET, binary records (0.5 KiB answer)', ...consume, cold: true },
  {
    name: 'produce-1m',
    title: 'v1 binary produce, 1 MiB',
    method: 'POST',
    path: () => '/topics/bench',
    headers: produce1k.headers,
    body: produceBody(1024 * 1024),
    cold: false,
  },
  {
    name: 'produce-1k-paced',
    title: `v1 binary produce, 1 KiB, at ${PACED_RATE} req/s (latency added)`,
    ...produce1k,
    cold: false,
    rate: PACED_RATE,
  },
  {
    name: 'consume-paced',
    title: `v2 consume GET at ${PACED_RATE} req/s (latency added)`,
    ...consume,
    cold: false,
    rate: PACED_RATE,
  },
  {
    name: 'produce-1k-one',
    title: 'v1 binary produce, 1 KiB, one request at a time on one connection (latency added)',
    ...produce1k,
    cold: false,
    connections: 1,
  },
  {
    name: 'consume-one',
    title: 'v2 consume GET, one request at a time on one connection (latency added)',
    ...consume,
    cold: false,
    connections: 1,
  },
]

export const memoryWorkloads: readonly { name: MemoryWorkloadName; title: string }[] = [
  { name: 'produce-10m', title: 'one 10 MiB produce (RSS before / peak / after)' },
  { name: 'long-polls', title: '1,000 concurrent idle long polls (RSS before / peak / after)' },
]

export const LONG_POLLS = 1_000
export const LARGE_PRODUCE_BYTES = 10 * 1024 * 1024

/** The soak: a steady rate from many distinct users (produce, consumer create, consume, delete). */
export const SOAK = {
  name: 'soak',
  title: 'steady mixed load from 20,000 users (produce, consumer create, consume, delete): 5xx and resets owed: none',
  rate: 1_500,
  users: 20_000,
} as const
