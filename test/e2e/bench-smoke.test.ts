// `npm run bench` cannot rot: one very short cell of every target and workload, its output format, and clean-up.
import { execFile, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Report } from '../../bench/report.js'
import { eventually } from '../support/eventually.js'

const exec = promisify(execFile)
const outDir = mkdtempSync(join(tmpdir(), 'bench-smoke-'))

/** Runs the real script (nginx install check, compile, run) with a bounded, very short plan. */
function bench(env: Record<string, string>, args: string[] = []) {
  return exec('bash', ['scripts/bench.sh', ...args], options(env))
}

/** The entry point alone through tsx: enough for checks that stop before anything starts. */
function benchEntry(env: Record<string, string>) {
  return exec(process.execPath, ['--import', 'tsx', 'bench/run.ts'], options(env))
}

function options(env: Record<string, string>) {
  // Unpinned: the test suite runs beside it, and a target pinned to a busy core can answer nothing in a one-second cell.
  const base = { PATH: process.env.PATH, HOME: process.env.HOME, BENCH_OUT: outDir, BENCH_PIN: '0' }
  return { env: { ...base, ...env }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }
}

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

afterAll(() => rmSync(outDir, { recursive: true, force: true }))

describe('a short full run', () => {
  let stdout = ''
  let report: Report

  beforeAll(async () => {
    ;({ stdout } = await bench({
      BENCH_DURATION: '1',
      BENCH_ROUNDS: '1',
      BENCH_WORKLOADS: 'produce-1k,consume-paced,long-polls',
    }))
    report = JSON.parse(readFileSync(join(outDir, 'latest.json'), 'utf8'))
  }, 180_000)

  it('prints the Markdown table, the ratios and the goals, and writes the same to latest.md', () => {
    expect(stdout).toContain(
      '| workload | target | req/s | p50 ms | p99 ms | CPU µs/req | RSS before MiB | RSS after MiB |',
    )
    expect(stdout).toContain('| workload | gateway | ÷ direct | ÷ bare Node | ÷ nginx | ÷ Express |')
    expect(stdout).toMatch(/Node v\d+\.\d+\.\d+; nginx \d+\.\d+/)
    expect(stdout).toContain('## Targets')
    expect(readFileSync(join(outDir, 'latest.md'), 'utf8')).toBe(stdout.slice(0, stdout.indexOf('\nwritten: ')))
  })

  it.each(['direct', 'bare-node', 'nginx', 'express', 'gateway', 'gateway-cold'])(
    'measured %s with answered requests',
    (name) => {
      const cell = report.load.find((c) => c.workload === 'produce-1k' && c.contender === name)
      expect(cell?.requestsPerSecond).toBeGreaterThan(0)
      expect(cell?.p99).toBeGreaterThanOrEqual(cell?.p50 ?? Number.POSITIVE_INFINITY)
      expect(cell?.rssAfter).toBeGreaterThan(0)
      expect(stdout).toMatch(new RegExp(`^\\| produce-1k \\| ${name} \\| [\\d,]+ \\| [\\d.]+ \\| [\\d.]+ \\|`, 'm'))
    },
  )

  it('gives finite ratios for the warm and the cold gateway against every other target', () => {
    expect(report.ratios.map((r) => `${r.workload} ${r.contender}`).sort()).toEqual([
      'consume-paced gateway',
      'produce-1k gateway',
      'produce-1k gateway-cold',
    ])
    for (const ratio of report.ratios) {
      for (const value of [ratio.vsDirect, ratio.vsBare, ratio.vsNginx, ratio.cpuVsBare]) {
        expect(Number.isFinite(value) && value > 0).toBe(true)
      }
    }
  })

  it('paces the latency cells at the fixed rate and judges the p99 added there', () => {
    const paced = report.load.filter((c) => c.workload === 'consume-paced')
    expect(paced.map((c) => c.contender).sort()).toEqual(['bare-node', 'direct', 'express', 'gateway', 'nginx'])
    for (const cell of paced) expect(cell.requestsPerSecond).toBeGreaterThan(0)
    expect(report.goals.map((g) => g.goal)).toContain('consume-paced: p99 added over bare ≤ 1 ms')
  })

  it('holds 1,000 long polls through every target and reports RSS before, at the peak and after', () => {
    expect(report.memory.map((m) => m.contender).sort()).toEqual(['bare-node', 'direct', 'express', 'gateway', 'nginx'])
    for (const cell of report.memory) expect(cell.peak).toBeGreaterThanOrEqual(cell.before)
  })

  it('stops every process it started', () => {
    expect(report.processes.map((p) => p.name).sort()).toEqual(['bare-node', 'express', 'gateway', 'nginx', 'upstream'])
    expect(report.processes.filter((p) => isRunning(p.pid))).toEqual([])
  })
})

describe('bounds and modes', () => {
  it.each([
    [{ BENCH_DURATION: '30' }, 'BENCH_DURATION must be between 0.5 and 10, got 30'],
    [{ BENCH_ROUNDS: '1.5' }, 'BENCH_ROUNDS must be a whole number between 1 and 9'],
    [{ BENCH_WORKLOADS: 'produce-1k,nope' }, 'BENCH_WORKLOADS: unknown nope'],
  ])('refuses %o with a message', async (env, message) => {
    await expect(benchEntry(env)).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining(message) })
  })

  it('stops every process it started and exits 1 when terminated during start-up', async () => {
    const env = {
      BENCH_DURATION: '5',
      BENCH_ROUNDS: '3',
      BENCH_WORKLOADS: 'produce-1k',
      BENCH_TARGETS: 'nginx,gateway',
    }
    // bench.sh execs node, so this PID is the bench's own.
    const child = spawn('bash', ['scripts/bench.sh'], { ...options(env), stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    // The gateway is the last to start: the bench is still waiting for it to be ready.
    await eventually(() => stderr.includes('started gateway') || child.exitCode !== null, { timeoutMs: 60_000 })
    expect(child.exitCode, stderr).toBeNull()
    child.kill('SIGTERM')
    expect(await exited).toBe(1)
    expect(stderr).toContain('bench: terminated; stopping')
    const pids = [...stderr.matchAll(/started (\S+) \(pid (\d+)\)/g)].map((match) => Number(match[2]))
    expect(pids).toHaveLength(3)
    expect(pids.filter(isRunning)).toEqual([])
    // An aborted run keeps its logs for whoever debugs it; this one was aborted on purpose.
    const kept = /logs kept in (\S+)\)/.exec(stderr)?.[1]
    if (kept) rmSync(kept, { recursive: true, force: true })
  }, 90_000)

  it('--stages prints µs per request for every pipeline stage beside the whole CPU per request', async () => {
    const env = { BENCH_DURATION: '0.5', BENCH_ROUNDS: '1', BENCH_WORKLOADS: 'consume', BENCH_TARGETS: 'gateway' }
    const { stdout } = await bench(env, ['--stages'])
    expect(stdout).toContain('| stage | consume µs/req |')
    for (const stage of [
      'authenticateStage',
      'admitStage',
      'chargeStage',
      'swapCredentialsStage',
      'forward (upstream request sent)',
    ])
      expect(stdout).toMatch(new RegExp(`^\\| \`${stage.replace(/[()]/g, '\\$&')}\` \\| [\\d.]+ \\|$`, 'm'))
    expect(stdout).toMatch(/^\| \*\*whole process CPU per request\*\* \| [\d.]+ \|$/m)
  }, 120_000)

  it('soaks every target and reports 5xx, resets and idle races; the gateway owes none', async () => {
    const env = { BENCH_SOAK_SECONDS: '1', BENCH_WORKLOADS: 'soak', BENCH_TARGETS: 'bare-node,gateway' }
    const { stdout } = await bench(env)
    const report = JSON.parse(readFileSync(join(outDir, 'latest.json'), 'utf8')) as Report
    expect(report.soak.map((row) => row.contender)).toEqual(['bare-node', 'gateway'])
    for (const row of report.soak) expect(row.requests).toBe(1_500)
    const gateway = report.soak.find((row) => row.contender === 'gateway')
    expect(gateway).toMatchObject({ serverErrors: 0, timeouts: 0, clientErrors: 0 })
    expect((gateway?.resets ?? 1) - (gateway?.idleRaces ?? 0)).toBe(0)
    expect(stdout).toContain(
      '| target | seconds | requests | 2xx/3xx | 4xx | 5xx | resets | of which idle races | timeouts |',
    )
  }, 180_000)

  it('--profile writes the gateway profile and prints its top self-time functions', async () => {
    const env = { BENCH_DURATION: '0.5', BENCH_ROUNDS: '1', BENCH_WORKLOADS: 'consume', BENCH_TARGETS: 'gateway' }
    const { stdout } = await bench(env, ['--profile'])
    expect(stdout).toContain('| self ms | % of busy | function | where |')
    expect(stdout).toMatch(/\| `[^`]+` \| /)
    expect(stdout).toContain('| self ms | % of busy | area |')
    expect(JSON.parse(readFileSync(join(outDir, 'gateway.cpuprofile'), 'utf8')).samples.length).toBeGreaterThan(0)
  }, 120_000)
})
