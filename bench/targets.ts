// Starts what the benchmark measures on 127.0.0.1: the upstream, a JWKS issuer, and the targets in front of it.
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type LocalIssuer, startLocalIssuer } from '../src/dev/local-issuer.js'
import { gatewayConfig } from './gateway-config.js'
import { findNginx, writeNginxConfig } from './nginx.js'
import { freePort, type Started, startProcess, waitForHttp } from './processes.js'

export type TargetName = 'direct' | 'bare-node' | 'nginx' | 'express' | 'gateway'
type ProxyName = Exclude<TargetName, 'direct'>
type Command = [string, string[]]
const PROXIES: readonly ProxyName[] = ['bare-node', 'nginx', 'express', 'gateway']

export interface Target {
  name: TargetName
  url: string
  /** The process whose RSS is reported (for `direct`, the upstream itself). */
  pid: number
}

export interface Environment {
  upstreamUrl: string
  apiKey: string
  issuer: LocalIssuer
  targets: readonly Target[]
  nginxVersion: string
  /** Every process started, for the report (a test checks that none is left running). */
  processes: readonly { name: string; pid: number }[]
  /** Stops every process this module started, by PID; with `profileDir`, the gateway then writes its profile. */
  stop(): Promise<void>
}

export interface EnvironmentOptions {
  repoRoot: string
  workDir: string
  /** CPUs for the load side (generator, upstream, issuer) and for the target under test; undefined: no pinning. */
  cpus?: { load: number; target: number }
  /** Every process started is added here at once, so the caller can stop them even if start-up never finishes. */
  started: Started[]
  /** Told about each process as it starts. */
  log(line: string): void
  /** The targets to start (the upstream, `direct`, always runs). */
  targets: readonly TargetName[]
  /** Runs the gateway under `node --cpu-prof`, writing `gateway.cpuprofile` here. */
  profileDir?: string
  /** Runs the gateway in the stage-cost mode (bench/gateway-timed.ts), appending its stage times to this file. */
  stagesFile?: string
}

/** Stops processes by PID, targets before the upstream they forward to (reverse start order). */
export async function stopAll(started: readonly Started[]): Promise<void> {
  for (const child of [...started].reverse()) await child.stop()
}

export async function startEnvironment(options: EnvironmentOptions): Promise<Environment> {
  const { repoRoot, workDir, cpus } = options
  // Found first, so a missing nginx stops the run before anything starts.
  const nginx = options.targets.includes('nginx') ? findNginx() : undefined
  const { started } = options
  const stop = async () => {
    await stopAll(started)
    await issuer.close()
  }
  const issuer = await startLocalIssuer()
  try {
    const apiKey = `bench-key-${randomBytes(12).toString('hex')}`
    // Compiled scripts (scripts/bench.sh builds them) sit beside this file; the gateway's entry in ../src.
    const node = (script: string, args: string[], flags: string[] = []): Command => [
      process.execPath,
      [...flags, join(import.meta.dirname, script), ...args],
    ]
    const spawnOn = (name: TargetName | 'upstream', cpu: number | undefined, [command, args]: Command) => {
      const child = startProcess(name, command, args, { cwd: repoRoot, cpu, logFile: join(workDir, `${name}.log`) })
      started.push(child)
      options.log(`bench: started ${name} (pid ${child.pid})`)
      return child
    }

    const upstreamPort = await freePort()
    const upstream = spawnOn('upstream', cpus?.load, node('upstream.js', [String(upstreamPort), apiKey]))
    const upstreamUrl = `http://127.0.0.1:${upstreamPort}`
    await waitForHttp(`${upstreamUrl}/_bench/held`, 'upstream')

    const profile = options.profileDir
      ? ['--cpu-prof', '--cpu-prof-dir', options.profileDir, '--cpu-prof-name', 'gateway.cpuprofile']
      : []
    const proxies: Record<ProxyName, { command(port: number): Command; ready: string; status?: number }> = {
      'bare-node': {
        command: (port) => node('bare-proxy.js', [String(port), String(upstreamPort)]),
        ready: '/_bench/held',
      },
      nginx: {
        command: (port) => [nginx?.path ?? 'nginx', writeNginxConfig(join(workDir, 'nginx'), port, upstreamPort)],
        ready: '/_bench/held',
      },
      express: {
        command: (port) =>
          node('express-proxy.js', [String(port), upstreamUrl, apiKey, issuer.issuer, issuer.audience, issuer.jwksUrl]),
        // Every request needs a token there: a 401 is its ready answer.
        ready: '/_bench/held',
        status: 401,
      },
      gateway: {
        command: (port) => {
          writeFileSync(join(workDir, 'upstream-key'), apiKey, { mode: 0o600 })
          const configFile = join(workDir, 'gateway.yaml')
          // YAML is a superset of JSON.
          writeFileSync(configFile, JSON.stringify(gatewayConfig({ port, upstreamUrl, issuer, workDir })))
          if (options.stagesFile) return node('gateway-timed.js', [options.stagesFile, '--config', configFile], profile)
          return node('../src/process/main.js', ['--config', configFile], profile)
        },
        ready: '/readyz',
      },
    }
    const targets: Target[] = [{ name: 'direct', url: upstreamUrl, pid: upstream.pid }]
    for (const name of PROXIES.filter((proxy) => options.targets.includes(proxy))) {
      const port = await freePort()
      const child = spawnOn(name, cpus?.target, proxies[name].command(port))
      targets.push({ name, url: `http://127.0.0.1:${port}`, pid: child.pid })
    }
    await Promise.all(
      targets
        .filter((target): target is Target & { name: ProxyName } => target.name !== 'direct')
        .map((target) =>
          waitForHttp(
            `${target.url}${proxies[target.name].ready}`,
            `${target.name} (logs in ${workDir})`,
            proxies[target.name].status,
          ),
        ),
    )
    const processes = started.map(({ name, pid }) => ({ name, pid }))
    return { upstreamUrl, apiKey, issuer, targets, nginxVersion: nginx?.version ?? 'not run', processes, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
