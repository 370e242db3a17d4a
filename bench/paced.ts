// A load generator at a fixed, smooth rate: the latency a proxy adds when it is not saturated.
// autocannon's own rate limit sends each connection's budget in a burst at the start of every second, which measures
// queueing again; here requests leave evenly spaced and each one is timed from when it was due to leave.
import http from 'node:http'
import type { LoadResult, LoadSpec } from './load.js'
import { Latencies } from './load.js'

/** How often the pacer wakes up; at 1,000 req/s that is two requests per wake-up. */
const TICK_MS = 2

export function runPaced(spec: LoadSpec & { rate: number }): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.connections })
  const latencies = new Latencies()
  const url = new URL(spec.path, spec.url)
  const headers = spec.body ? { ...spec.headers, 'content-length': String(spec.body.length) } : spec.headers
  const total = Math.max(1, Math.floor(spec.rate * spec.durationSeconds))
  let sent = 0
  let answered = 0
  let failed = 0
  const startedAt = performance.now()

  return new Promise((resolve, reject) => {
    const finish = () => {
      clearInterval(ticker)
      agent.destroy()
      const seconds = (performance.now() - startedAt) / 1000
      if (failed > 0) return reject(new Error(`${failed} failed requests to ${url.origin}${spec.path}`))
      resolve({
        requestsPerSecond: answered / seconds,
        p50: latencies.percentile(50),
        p99: latencies.percentile(99),
        requests: answered,
      })
    }
    const done = (ok: boolean, dueAt: number) => {
      if (ok) {
        answered++
        latencies.add(performance.now() - dueAt)
      } else failed++
      if (answered + failed === total) finish()
    }
    const send = (dueAt: number) => {
      const req = http.request(url, { method: spec.method, headers, agent }, (res) => {
        res.resume()
        res.on('end', () => done(res.statusCode !== undefined && res.statusCode < 300, dueAt))
        res.on('error', () => done(false, dueAt))
      })
      req.setTimeout(10_000, () => req.destroy(new Error('timeout')))
      req.on('error', () => done(false, dueAt))
      req.end(spec.body)
    }
    const ticker = setInterval(() => {
      const now = performance.now()
      // Catch up to where the schedule says we should be; each request is timed from its own slot.
      const due = Math.min(total, Math.floor(((now - startedAt) / 1000) * spec.rate))
      for (; sent < due; sent++) send(startedAt + (sent * 1000) / spec.rate)
    }, TICK_MS)
  })
}
