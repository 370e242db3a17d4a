// Starts what the benchmark measures on 127.0.0.1: the upstream, a JWKS issuer, and the four targets in front of it.
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type LocalIssuer, startLocalIssuer } from '../src/dev/local-issuer.js'
import { gatewayConfig } from './gateway-config.js'
import { findNginx, writeNginxConfig } from './nginx.js'
import { freePort, type Started, startProcess, waitForHttp } from './processes.js'

export type TargetName = 'direct' | 'bare-node' | 'nginx' | 'gateway'

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
  /** Runs the gateway under `node --cpu-prof`, writing `gateway.cpuprofile` here. */
  profileDir?: string
}

export async function startEnvironment(options: EnvironmentOptions): Promise<Environment> {
  const { repoRoot, workDir, cpus } = options
  const nginx = findNginx()
  const started: Started[] = []
  const stop = async () => {
    // Reverse order: targets before the upstream they forward to.
    for (const child of [...started].reverse()) await child.stop()
    await issuer.close()
  }
  const issuer = await startLocalIssuer()
  try {
    const apiKey = `bench-key-${randomBytes(12).toString('hex')}`
    // Compiled scripts (scripts/bench.sh builds them) sit beside this file; the gateway's entry in ../src.
    const node = (script: string, args: string[], flags: string[] = []): [string, string[]] => [
      process.execPath,
      [...flags, join(import.meta.dirname, script), ...args],
    ]
    const spawnOn = (
      name: TargetName | 'upstream',
      cpu: number | undefined,
      [command, args]: readonly [string, string[]],
    ) => {
      const child = startProcess(name, command, args, { cwd: repoRoot, cpu, logFile: join(workDir, `${name}.log`) })
      started.push(child)
      return child
    }

    const upstreamPort = await freePort()
    const upstream = spawnOn('upstream', cpus?.load, node('upstream.js', [String(upstreamPort), apiKey]))
    const upstreamUrl = `http://127.0.0.1:${upstreamPort}`
    await waitForHttp(`${upstreamUrl}/_bench/held`, 'upstream')

    const barePort = await freePort()
    const bare = spawnOn('bare-node', cpus?.target, node('bare-proxy.js', [String(barePort), String(upstreamPort)]))

    const nginxPort = await freePort()
    const nginxArgs = writeNginxConfig(join(workDir, 'nginx'), nginxPort, upstreamPort)
    const nginxProcess = spawnOn('nginx', cpus?.target, [nginx.path, nginxArgs])

    const gatewayPort = await freePort()
    writeFileSync(join(workDir, 'upstream-key'), apiKey, { mode: 0o600 })
    const configFile = join(workDir, 'gateway.yaml')
    // YAML is a superset of JSON.
    writeFileSync(configFile, JSON.stringify(gatewayConfig({ port: gatewayPort, upstreamUrl, issuer, workDir })))
    const profile = options.profileDir
      ? ['--cpu-prof', '--cpu-prof-dir', options.profileDir, '--cpu-prof-name', 'gateway.cpuprofile']
      : []
    const gateway = spawnOn('gateway', cpus?.target, node('../src/main.js', ['--config', configFile], profile))

    const targets: Target[] = [
      { name: 'direct', url: upstreamUrl, pid: upstream.pid },
      { name: 'bare-node', url: `http://127.0.0.1:${barePort}`, pid: bare.pid },
      { name: 'nginx', url: `http://127.0.0.1:${nginxPort}`, pid: nginxProcess.pid },
      { name: 'gateway', url: `http://127.0.0.1:${gatewayPort}`, pid: gateway.pid },
    ]
    await Promise.all([
      waitForHttp(`${targets[1]?.url}/_bench/held`, 'bare Node proxy'),
      waitForHttp(`${targets[2]?.url}/_bench/held`, `nginx (see ${workDir}/nginx/logs/error.log)`),
      waitForHttp(`${targets[3]?.url}/readyz`, `gateway (see ${workDir}/gateway.log)`),
    ])
    const processes = started.map(({ name, pid }) => ({ name, pid }))
    return { upstreamUrl, apiKey, issuer, targets, nginxVersion: nginx.version, processes, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
