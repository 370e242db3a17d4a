// `npm run bench`: the gateway against direct access, a bare Node proxy and nginx, in one run, on 127.0.0.1 only.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { cpus, release, tmpdir, totalmem, type } from 'node:os'
import { dirname, join } from 'node:path'
import { COLD_TOKENS, type Contender, prepareContenders } from './contenders.js'
import { SOAK_SCOPE } from './gateway-config.js'
import { type LoadResult, type LoadSpec, runLoad } from './load.js'
import { largeProduce, longPolls, type MemoryResult } from './memory.js'
import { type BenchOptions, readOptions } from './options.js'
import { runPaced } from './paced.js'
import { canPin, cpuSeconds, pinSelf, rssMiB, type Started } from './processes.js'
import { selfTimeByArea, selfTimeTable, topSelfTime } from './profile.js'
import { type SoakRow, writeReport } from './report.js'
import { goals, type LoadRound, type MemoryRound, median, ratios, summarizeLoad, summarizeMemory } from './results.js'
import { runSoak } from './soak.js'
import { type Environment, startEnvironment, stopAll } from './targets.js'
import {
  LARGE_PRODUCE_BYTES,
  LONG_POLLS,
  loadWorkloads,
  memoryWorkloads,
  PACED_RATE,
  produceBody,
  SOAK,
  V1_BINARY,
  V2_BINARY,
} from './workloads.js'

const repoRoot = findRepoRoot(import.meta.dirname)
const log = (line: string) => process.stderr.write(`${line}\n`)

async function main(): Promise<void> {
  let options: BenchOptions
  try {
    options = readOptions(process.argv.slice(2), process.env, join(repoRoot, 'bench', 'results'))
  } catch (error) {
    log(`bench: ${(error as Error).message}`)
    process.exit(2)
  }
  const pinned = options.pin && canPin()
  if (pinned) pinSelf(0)
  const selectedLoads = loadWorkloads.filter((w) => options.workloads.includes(w.name))
  const selectedMemory = memoryWorkloads.filter((w) => options.workloads.includes(w.name))
  const soakSeconds = options.workloads.includes('soak') ? 6 * (options.soakSeconds + 15) : 0
  const budgetSeconds =
    120 +
    soakSeconds +
    options.rounds * (selectedLoads.length * 6 * (options.durationSeconds + 3) + selectedMemory.length * 5 * 20)
  const workDir = mkdtempSync(join(tmpdir(), 'kafka-rest-gateway-bench-'))
  const started: Started[] = []
  // The whole run is bounded: whatever happens, the processes it started are stopped (by PID) and it exits.
  const abort = async (reason: string) => {
    log(`bench: ${reason}; stopping (logs kept in ${workDir})`)
    await stopAll(started)
    process.exit(1)
  }
  const watchdog = setTimeout(() => void abort(`took longer than ${budgetSeconds} s`), budgetSeconds * 1000)
  process.once('SIGINT', () => void abort('interrupted'))
  process.once('SIGTERM', () => void abort('terminated'))
  try {
    const env = await startEnvironment({
      started,
      log,
      repoRoot,
      workDir,
      cpus: pinned ? { load: 0, target: 1 } : undefined,
      // gateway-cold is the gateway process too.
      targets: options.contenders.map((name) => (name === 'gateway-cold' ? 'gateway' : name)),
      profileDir: options.profile ? options.outDir : undefined,
      stagesFile: options.stages ? join(workDir, 'stages.jsonl') : undefined,
    })
    const withCold = options.contenders.includes('gateway-cold') && selectedLoads.some((w) => w.cold)
    const contenders = (await prepareContenders(env, withCold)).filter((c) => options.contenders.includes(c.name))
    if (options.stages) {
      const table = await measureStages(options, contenders, selectedLoads, join(workDir, 'stages.jsonl'))
      await env.stop()
      rmSync(workDir, { recursive: true, force: true })
      process.stdout.write(table)
      return
    }
    const loadRounds = await runLoadCells(options, contenders, selectedLoads)
    const memoryRounds = await runMemoryCells(options, env, contenders, selectedMemory)
    const soak = options.workloads.includes('soak') ? await runSoakCells(options, env, contenders) : []
    const { nginxVersion, processes } = env
    await env.stop()
    rmSync(workDir, { recursive: true, force: true })
    if (options.profile) return printProfile(options.outDir)
    const ratioList = ratios(loadRounds)
    const memory = summarizeMemory(memoryRounds)
    const { markdown, files } = writeReport(options.outDir, {
      info: {
        date: new Date().toISOString(),
        machine: `${cpus().length} vCPU (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM, ${type()} ${release()}`,
        node: process.version,
        nginx: nginxVersion,
        loadGenerator: 'autocannon 8 (in the bench process)',
        durationSeconds: options.durationSeconds,
        rounds: options.rounds,
        connections: options.connections,
        rate: options.rate
          ? `${options.rate} req/s in every cell, evenly spaced`
          : `as fast as each target answers (autocannon), except the paced cells: ${PACED_RATE} req/s, evenly spaced; the one-connection cells send one request at a time`,
        pinning: pinned
          ? 'load generator, upstream and JWKS issuer on CPU 0; the target under test on CPU 1 (taskset)'
          : 'none (taskset or a second CPU missing, or BENCH_PIN=0)',
        coldTokens: `${COLD_TOKENS} pre-minted ES256 tokens (same user, unique jti) sent round-robin, more than the gateway's token cache holds (10,000), so every request verifies a signature`,
      },
      processes,
      load: summarizeLoad(loadRounds),
      ratios: ratioList,
      memory,
      soak,
      goals: [...goals(ratioList, memory), ...soakGoals(soak)],
    })
    process.stdout.write(`${markdown}\nwritten: ${files.join(', ')}\n`)
  } catch (error) {
    await abort((error as Error).message)
  } finally {
    clearTimeout(watchdog)
  }
}

async function runLoadCells(options: BenchOptions, contenders: Contender[], workloads: typeof loadWorkloads) {
  const rounds: LoadRound[] = []
  for (const workload of workloads) {
    const running = contenders.filter((c) => workload.cold || c.name !== 'gateway-cold')
    for (let round = 1; round <= options.rounds; round++) {
      for (const contender of running) {
        const spec = {
          url: contender.target.url,
          method: workload.method,
          path: workload.path(contender.consumer),
          headers: { ...workload.headers, ...contender.auth },
          body: workload.body,
          connections: workload.connections ?? options.connections,
          rate: workload.rate ?? options.rate,
          rotateTokens: contender.rotateTokens,
        }
        // Warm-up before the first measured round, not recorded: V8 needs a few seconds of traffic to optimise the
        // hot path (longer when the machine is busy), and the steady state is what a long-running gateway sees.
        if (round === 1) await measure({ ...spec, durationSeconds: Math.min(3, options.durationSeconds / 2) })
        const { pid } = contender.target
        const [rssBefore, cpuBefore] = [rssMiB(pid), cpuSeconds(pid)]
        const result = await measure({ ...spec, durationSeconds: options.durationSeconds })
        const [rssAfter, cpuPerRequest] = [rssMiB(pid), ((cpuSeconds(pid) - cpuBefore) * 1e6) / result.requests]
        rounds.push({
          workload: workload.name,
          contender: contender.name,
          round,
          ...result,
          cpuPerRequest,
          rssBefore,
          rssAfter,
        })
        log(
          `${workload.name} round ${round} ${contender.name}: ${Math.round(result.requestsPerSecond)} req/s, ` +
            `p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, ${Math.round(cpuPerRequest)} µs CPU/req`,
        )
      }
    }
  }
  return rounds
}

async function runMemoryCells(
  options: BenchOptions,
  env: Environment,
  contenders: Contender[],
  workloads: typeof memoryWorkloads,
) {
  const rounds: MemoryRound[] = []
  const largeBody = produceBody(LARGE_PRODUCE_BYTES)
  for (const workload of workloads) {
    for (let round = 1; round <= options.rounds; round++) {
      for (const contender of contenders.filter((c) => c.name !== 'gateway-cold')) {
        const { target, auth, consumer } = contender
        let result: MemoryResult
        if (workload.name === 'produce-10m') {
          const headers = { ...auth, 'content-type': V1_BINARY }
          result = await largeProduce(target.pid, { url: target.url, path: '/topics/bench', headers }, largeBody)
        } else {
          const request = {
            url: target.url,
            path: `${consumer}/records?timeout=30000`,
            headers: { ...auth, accept: V2_BINARY },
          }
          result = await longPolls(target.pid, request, LONG_POLLS, env.upstreamUrl)
        }
        rounds.push({ workload: workload.name, contender: contender.name, round, ...result })
        log(
          `${workload.name} round ${round} ${contender.name}: RSS ${result.before.toFixed(1)} → peak ${result.peak.toFixed(1)} → ${result.after.toFixed(1)} MiB`,
        )
      }
    }
  }
  return rounds
}

/** The soak against each target in turn (direct access too, as the baseline), each user with its own token. */
async function runSoakCells(options: BenchOptions, env: Environment, contenders: Contender[]): Promise<SoakRow[]> {
  const tokens = await Promise.all(
    Array.from({ length: SOAK.users }, (_, i) => env.issuer.mint({ sub: `soak-user-${i}`, scope: SOAK_SCOPE })),
  )
  const perUser = tokens.map((token) => ({ authorization: `Bearer ${token}` }))
  const withKey = Array.from({ length: SOAK.users }, () => ({ 'x-auth-token': env.apiKey }))
  const rows: SoakRow[] = []
  for (const contender of contenders.filter((c) => c.name !== 'gateway-cold')) {
    const users = contender.auth.authorization ? perUser : withKey
    const result = await runSoak({
      url: contender.target.url,
      users,
      rate: SOAK.rate,
      durationSeconds: options.soakSeconds,
    })
    rows.push({ contender: contender.name, ...result })
    log(
      `soak ${contender.name}: ${result.requests} requests, ${result.serverErrors} × 5xx, ${result.resets} resets (${result.idleRaces} idle races), ` +
        `${result.timeouts} timeouts, ${result.clientErrors} × 4xx`,
    )
  }
  return rows
}

function soakGoals(rows: readonly SoakRow[]) {
  const gateway = rows.find((row) => row.contender === 'gateway')
  if (!gateway) return []
  // Idle races happen before the gateway sees the request (the client reused a connection the gateway was closing as
  // idle): reported in the table, not counted against the hop.
  const resets = gateway.resets - gateway.idleRaces
  return [
    {
      goal: 'soak: no 5xx, reset (other than idle races) or timeout through the gateway',
      measured: `${gateway.serverErrors} / ${resets} / ${gateway.timeouts}`,
      met: gateway.serverErrors + resets + gateway.timeouts === 0,
    },
  ]
}

/** Saturating load with autocannon, or a fixed smooth rate with the pacer. */
function measure(spec: LoadSpec): Promise<LoadResult> {
  return spec.rate === undefined ? runLoad(spec) : runPaced({ ...spec, rate: spec.rate })
}

/**
 * The stage-cost table: per workload, the gateway's µs per request in each stage (instrumented, see
 * bench/gateway-timed.ts) beside its whole CPU per request; the difference is Node's HTTP machinery, sockets and GC.
 */
async function measureStages(
  options: BenchOptions,
  contenders: Contender[],
  workloads: typeof loadWorkloads,
  file: string,
): Promise<string> {
  const gateway = contenders.find((c) => c.name === 'gateway')
  if (!gateway) throw new Error('--stages measures the gateway: add it to BENCH_TARGETS')
  const columns: Array<{ workload: string; cpu: number; stages: StageTotal[] }> = []
  for (const workload of workloads.filter((w) => w.rate === undefined)) {
    const rounds = await runLoadCells(options, [gateway], [workload])
    const dumped = readLines(file).length
    process.kill(gateway.target.pid, 'SIGUSR2')
    await waitUntil(() => readLines(file).length > dumped)
    const stages = JSON.parse(readLines(file)[dumped] as string) as StageTotal[]
    columns.push({ workload: workload.name, cpu: median(rounds.map((r) => r.cpuPerRequest)), stages })
  }
  return stageTable(columns)
}

interface StageTotal {
  name: string
  micros: number
  calls: number
}

function stageTable(columns: Array<{ workload: string; cpu: number; stages: StageTotal[] }>): string {
  const names = [...new Set(columns.flatMap((c) => c.stages.map((s) => s.name)))]
  const perRequest = (column: (typeof columns)[number], name: string) => {
    const requests = Math.max(...column.stages.map((s) => s.calls))
    const stage = column.stages.find((s) => s.name === name)
    return stage ? stage.micros / requests : 0
  }
  const head = ['stage', ...columns.map((c) => `${c.workload} µs/req`)]
  const lines = [
    '# Gateway cost per pipeline stage (instrumented run: its req/s are not comparable)',
    '',
    `| ${head.join(' | ')} |`,
    `|---|${columns.map(() => '---:').join('|')}|`,
  ]
  const row = (label: string, values: number[]) =>
    lines.push(`| ${label} | ${values.map((v) => v.toFixed(1)).join(' | ')} |`)
  for (const name of names)
    row(
      `\`${name}\``,
      columns.map((c) => perRequest(c, name)),
    )
  const sums = columns.map((c) => names.reduce((sum, name) => sum + perRequest(c, name), 0))
  row('**all stages + forward (wall time, async waits included)**', sums)
  row(
    '**whole process CPU per request**',
    columns.map((c) => c.cpu),
  )
  row(
    '**rest: Node HTTP parsing and writes, sockets, answer path, GC**',
    columns.map((c, i) => c.cpu - (sums[i] ?? 0)),
  )
  return `${lines.join('\n')}\n`
}

function readLines(file: string): string[] {
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
    : []
}

/** Polls a condition (the gateway appends its dump asynchronously); fails after 10 s. */
async function waitUntil(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('the gateway did not write its stage times')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

function printProfile(dir: string): void {
  const file = join(dir, 'gateway.cpuprofile')
  const functions = selfTimeTable(topSelfTime(file, repoRoot))
  const areas = selfTimeTable(selfTimeByArea(file, repoRoot))
  const title = '# Gateway CPU profile (profiled run: its req/s are not comparable)'
  process.stdout.write(`${title}\n\n## Top self time\n\n${functions}\n\n## By area\n\n${areas}\n\nprofile: ${file}\n`)
}

/** The nearest folder above with a package.json (this file runs compiled, from bench/.build/bench). */
function findRepoRoot(from: string): string {
  let dir = from
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`no package.json above ${from}`)
    dir = parent
  }
  return dir
}

await main()
