// The benchmark's settings, from BENCH_* variables and `--profile`; bad values stop it with a message, never a default.
import { loadWorkloads, memoryWorkloads, type WorkloadName } from './workloads.js'

export interface BenchOptions {
  durationSeconds: number
  rounds: number
  connections: number
  workloads: readonly WorkloadName[]
  outDir: string
  profile: boolean
  pin: boolean
}

const ALL: readonly WorkloadName[] = [...loadWorkloads, ...memoryWorkloads].map((w) => w.name)

export function readOptions(argv: readonly string[], env: NodeJS.ProcessEnv, defaultOutDir: string): BenchOptions {
  const unknown = argv.filter((arg) => arg !== '--profile')
  if (unknown.length > 0) throw new Error(`unknown argument(s) ${unknown.join(' ')}; the only flag is --profile`)
  const workloads = (env.BENCH_WORKLOADS || ALL.join(',')).split(',').map((name) => name.trim())
  const wrong = workloads.filter((name) => !ALL.includes(name as WorkloadName))
  if (wrong.length > 0) throw new Error(`BENCH_WORKLOADS: unknown ${wrong.join(', ')} (known: ${ALL.join(', ')})`)
  return {
    // Bounded: a cell never runs longer than 10 s.
    durationSeconds: number(env, 'BENCH_DURATION', 5, 0.5, 10),
    rounds: number(env, 'BENCH_ROUNDS', 3, 1, 9, true),
    connections: number(env, 'BENCH_CONNECTIONS', 50, 1, 500, true),
    workloads: workloads as WorkloadName[],
    outDir: env.BENCH_OUT || defaultOutDir,
    profile: argv.includes('--profile') || env.BENCH_PROFILE === '1',
    pin: env.BENCH_PIN !== '0',
  }
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
