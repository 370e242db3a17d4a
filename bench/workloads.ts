// The benchmark's workloads as data: what each cell sends, on how many connections, and which contenders run it.

export const V1_BINARY = 'application/vnd.kafka.binary.v1+json'
export const V2_BINARY = 'application/vnd.kafka.binary.v2+json'
export const V2 = 'application/vnd.kafka.v2+json'

export type LoadWorkloadName = 'produce-1k' | 'consume' | 'produce-1m'
export type MemoryWorkloadName = 'produce-10m' | 'long-polls'
export type WorkloadName = LoadWorkloadName | MemoryWorkloadName

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
}

/** A v1 binary produce body of about `bytes` bytes: one record whose base64 value fills the rest. */
export function produceBody(bytes: number): Buffer {
  const frame = '{"records":[{"value":""}]}'
  const valueLength = Math.max(4, Math.floor((bytes - frame.length) / 4) * 4)
  const value = Buffer.alloc((valueLength / 4) * 3, 7).toString('base64')
  return Buffer.from(`{"records":[{"value":"${value}"}]}`)
}

const produceHeaders = { 'content-type': V1_BINARY, accept: 'application/vnd.kafka.v1+json' }

export const loadWorkloads: readonly LoadWorkload[] = [
  {
    name: 'produce-1k',
    title: 'v1 binary produce, 1 KiB',
    method: 'POST',
    path: () => '/topics/bench',
    headers: produceHeaders,
    body: produceBody(1024),
    cold: true,
  },
  {
    name: 'consume',
    title: 'v2 consume GET, binary records (0.5 KiB answer)',
    method: 'GET',
    path: (consumer) => `${consumer}/records`,
    headers: { accept: V2_BINARY },
    cold: true,
  },
  {
    name: 'produce-1m',
    title: 'v1 binary produce, 1 MiB',
    method: 'POST',
    path: () => '/topics/bench',
    headers: produceHeaders,
    body: produceBody(1024 * 1024),
    cold: false,
  },
]

export const memoryWorkloads: readonly { name: MemoryWorkloadName; title: string }[] = [
  { name: 'produce-10m', title: 'one 10 MiB produce (RSS before / peak / after)' },
  { name: 'long-polls', title: '1,000 concurrent idle long polls (RSS before / peak / after)' },
]

export const LONG_POLLS = 1_000
export const LARGE_PRODUCE_BYTES = 10 * 1024 * 1024
