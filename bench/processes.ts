// The processes the benchmark starts: spawned pinned to a CPU, waited for, measured (RSS) and stopped by PID only.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { openSync, readFileSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import { cpus } from 'node:os'

export interface Started {
  name: string
  pid: number
  /** SIGTERM, then SIGKILL if it has not exited within 5 s; resolves once it has exited. */
  stop(): Promise<void>
}

export interface SpawnOptions {
  cwd: string
  /** CPU to pin to (taskset), when pinning is on. */
  cpu?: number
  /** File that receives stdout and stderr. */
  logFile: string
  env?: NodeJS.ProcessEnv
}

/** Pinning needs taskset and two CPUs: the load generator and upstream on CPU 0, the proxy under test on CPU 1. */
export function canPin(): boolean {
  if (cpus().length < 2) return false
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

export function pinSelf(cpu: number): void {
  execFileSync('taskset', ['-p', '-c', String(cpu), String(process.pid)], { stdio: 'ignore' })
}

export function startProcess(name: string, command: string, args: string[], options: SpawnOptions): Started {
  const [file, argv] =
    options.cpu === undefined ? [command, args] : ['taskset', ['-c', String(options.cpu), command, ...args]]
  const log = openSync(options.logFile, 'a')
  // taskset execs the command, so the PID is the target's own.
  const child = spawn(file, argv, { cwd: options.cwd, env: options.env, stdio: ['ignore', log, log] })
  if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return { name, pid: child.pid, stop: () => stopChild(child, exited) }
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
  await exited
  clearTimeout(timer)
}

/** Resident set size of a process, MiB, from /proc. */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kib = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]
  if (!kib) throw new Error(`no VmRSS for process ${pid}`)
  return Number(kib) / 1024
}

/** User + system CPU time a process has used so far, seconds, from /proc (clock ticks are 1/100 s on Linux). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name, which is in parentheses and may contain spaces: state is [0], utime [11], stime [12].
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS
}

const CLOCK_TICKS = 100

/** A port that was free a moment ago (for the children that need one in their config). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

/** Polls `url` until it answers `status` (a process that is still starting refuses the connection). */
export async function waitForHttp(url: string, what: string, status = 200, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last = 'no answer'
  while (Date.now() < deadline) {
    last = await probe(url)
    if (last === String(status)) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`${what} did not become ready at ${url} within ${timeoutMs} ms (last: ${last})`)
}

function probe(url: string): Promise<string> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: 1_000 }, (res) => {
      res.resume()
      resolve(String(res.statusCode))
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', (error) => resolve(error.message))
  })
}
