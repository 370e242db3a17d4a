// The benchmark's settings, from BENCH_* variables, `--profile` and `--stages`; bad values stop it with a message.
import type { ContenderName } from './results.js'
import { loadWorkloads, memoryWorkloads, SOAK, type WorkloadName } from './workloads.js'

export interface BenchOptions {
  durationSeconds: number
  /** How long the soak runs against each target. */
  soakSeconds: number
  rounds: number
  connections: number
  /** Requests per second per cell; undefined: as fast as each target answers. */
  rate: number | undefined
  workloads: readonly WorkloadName[]
  /** Contenders to run (all by default); e.g. only `gateway` to profile the warm path alone. */
  contenders: readonly ContenderName[]
  outDir: string
  profile: boolean
  /** The stage-cost mode: the gateway times each pipeline stage; the run prints µs per request per stage. */
  stages: boolean
  pin: boolean
}

const ALL: readonly WorkloadName[] = [...[...loadWorkloads, ...memoryWorkloads].map((w) => w.name), SOAK.name]
const CONTENDERS: readonly ContenderName[] = ['direct', 'bare-node', 'nginx', 'express', 'gateway', 'gateway-cold']

export function readOptions(argv: readonly string[], env: NodeJS.ProcessEnv, defaultOutDir: string): BenchOptions {
  const unknown = argv.filter((arg) => arg !== '--profile' && arg !== '--stages')
  if (unknown.length > 0) throw new Error(`unknown argument(s) ${unknown.join(' ')}; the flags are --profile, --stages`)
  const workloads = list(env, 'BENCH_WORKLOADS', ALL)
  const contenders = list(env, 'BENCH_TARGETS', CONTENDERS)
  return {
    // Bounded: a cell never runs longer than 10 s.
    durationSeconds: number(env, 'BENCH_DURATION', 5, 0.5, 10),
    rounds: number(env, 'BENCH_ROUNDS', 3, 1, 9, true),
    // Bounded: at most two minutes per target.
    soakSeconds: number(env, 'BENCH_SOAK_SECONDS', 30, 1, 120),
    connections: number(env, 'BENCH_CONNECTIONS', 50, 1, 500, true),
    rate: env.BENCH_RATE ? number(env, 'BENCH_RATE', 0, 1, 1_000_000, true) : undefined,
    workloads,
    contenders,
    outDir: env.BENCH_OUT || defaultOutDir,
    profile: argv.includes('--profile') || env.BENCH_PROFILE === '1',
    stages: argv.includes('--stages') || env.BENCH_STAGES === '1',
    pin: env.BENCH_PIN !== '0',
  }
}

function list<T extends string>(env: NodeJS.ProcessEnv, name: string, known: readonly T[]): T[] {
  const names = (env[name] || known.join(',')).split(',').map((item) => item.trim())
  const wrong = names.filter((item) => !known.includes(item as T))
  if (wrong.length > 0) throw new Error(`${name}: unknown ${wrong.join(', ')} (known: ${known.join(', ')})`)
  return names as T[]
}

function number(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number, integer = false) {
  const text = env[name]
  if (text === undefined || text === '') return fallback
  const value = Number(text)
  const wrong = !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))
  if (wrong)
    throw new Error(`${name} must be ${integer ? 'a whole number ' : ''}between ${min} and ${max}, got ${text}`)
  return value
}
