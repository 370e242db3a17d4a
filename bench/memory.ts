// The memory cells: a target's RSS before, at the peak of and after one 10 MiB produce, and 1,000 idle long polls.
import http from 'node:http'
import { rssMiB } from './processes.js'

export interface MemoryResult {
  /** MiB. */
  before: number
  peak: number
  after: number
}

export interface MemoryRequest {
  url: string
  path: string
  headers: Readonly<Record<string, string>>
}

/** Samples the process's RSS every 10 ms while `work` runs. */
async function measure(pid: number, work: () => Promise<void>): Promise<MemoryResult> {
  const before = rssMiB(pid)
  let peak = before
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMiB(pid))
  }, 10)
  try {
    await work()
  } finally {
    clearInterval(sampler)
  }
  const after = rssMiB(pid)
  return { before, peak: Math.max(peak, after), after }
}

export function largeProduce(pid: number, target: MemoryRequest, body: Buffer): Promise<MemoryResult> {
  return measure(pid, async () => {
    const status = await send(target, 'POST', body)
    if (status !== 200) throw new Error(`10 MiB produce to ${target.url} answered ${status}`)
  })
}

/**
 * Opens `count` long polls (one connection each), waits until the upstream holds all of them, samples, then releases
 * them and waits for every answer.
 */
export function longPolls(
  pid: number,
  target: MemoryRequest,
  count: number,
  upstreamUrl: string,
): Promise<MemoryResult> {
  return measure(pid, async () => {
    const answers = Array.from({ length: count }, () => send(target, 'GET'))
    try {
      await waitForHeld(upstreamUrl, count)
    } finally {
      await callUpstream(upstreamUrl, 'POST', '/_bench/release')
    }
    const statuses = await Promise.all(answers)
    const failed = statuses.filter((status) => status !== 200).length
    if (failed > 0) throw new Error(`${failed} of ${count} long polls through ${target.url} failed`)
  })
}

async function waitForHeld(upstreamUrl: string, count: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let held = 0
  while (Date.now() < deadline) {
    held = JSON.parse(await callUpstream(upstreamUrl, 'GET', '/_bench/held')).held
    if (held >= count) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`only ${held} of ${count} long polls reached the upstream within ${timeoutMs} ms`)
}

function send(target: MemoryRequest, method: string, body?: Buffer): Promise<number> {
  return new Promise((resolve) => {
    const headers = body ? { ...target.headers, 'content-length': String(body.length) } : target.headers
    const req = http.request(`${target.url}${target.path}`, { method, headers, agent: false }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.setTimeout(60_000, () => req.destroy(new Error('timeout')))
    req.on('error', () => resolve(0))
    req.end(body)
  })
}

export function callUpstream(upstreamUrl: string, method: string, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${upstreamUrl}${path}`, { method, agent: false }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        text += chunk
      })
      res.on('end', () => resolve(text))
    })
    req.on('error', reject)
    req.end()
  })
}
