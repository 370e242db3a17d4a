// One load cell: autocannon against one URL for a bounded time; requests/s and exact latency percentiles of the answers.
import autocannon, { type Request } from 'autocannon'

export interface LoadSpec {
  url: string
  method: 'GET' | 'POST'
  path: string
  headers: Readonly<Record<string, string>>
  body?: Buffer
  connections: number
  durationSeconds: number
  /** A fixed, smooth request rate (paced.ts) instead of as fast as the target answers (autocannon). */
  rate?: number
  /** A different bearer token for each request, round-robin over this list (the cold-cache contender). */
  rotateTokens?: readonly string[]
}

export interface LoadResult {
  requestsPerSecond: number
  /** Milliseconds. */
  p50: number
  p99: number
  requests: number
}

export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const latencies = new Latencies()
  let next = 0
  const tokens = spec.rotateTokens
  const request: Request = { method: spec.method, path: spec.path, headers: { ...spec.headers }, body: spec.body }
  if (tokens) {
    request.setupRequest = (built) => {
      ;(built.headers as Record<string, string>).authorization = `Bearer ${tokens[next++ % tokens.length]}`
      return built
    }
  }
  return new Promise((resolve, reject) => {
    const startedAt = process.hrtime.bigint()
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        duration: spec.durationSeconds,
        timeout: 10,
        requests: [request],
      },
      (error, result) => {
        if (error) return reject(error)
        const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9
        const failed = result.errors + result.timeouts + result.non2xx
        if (failed > 0) {
          const statuses = JSON.stringify(result.statusCodeStats)
          return reject(new Error(`${failed} failed requests to ${spec.url}${spec.path} (status counts ${statuses})`))
        }
        resolve({
          requestsPerSecond: result['2xx'] / seconds,
          p50: latencies.percentile(50),
          p99: latencies.percentile(99),
          requests: result['2xx'],
        })
      },
    )
    instance.on('response', (_client: unknown, status: number, _bytes: number, milliseconds: number) => {
      if (status >= 200 && status < 300) latencies.add(milliseconds)
    })
  })
}

/** Every response time, kept exactly (autocannon's own histogram rounds to whole milliseconds). */
export class Latencies {
  private values = new Float64Array(1 << 16)
  private count = 0

  add(milliseconds: number): void {
    if (this.count === this.values.length) {
      const grown = new Float64Array(this.values.length * 2)
      grown.set(this.values)
      this.values = grown
    }
    this.values[this.count++] = milliseconds
  }

  percentile(p: number): number {
    if (this.count === 0) return Number.NaN
    const sorted = this.values.subarray(0, this.count).sort()
    return sorted[Math.min(this.count - 1, Math.ceil((p / 100) * this.count) - 1)] as number
  }
}
