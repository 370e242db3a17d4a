// Start-up and idle memory of the built gateway (dist/, so `npm run build` first), with the benchmark's configuration:
// spawn → `/readyz` answering 200, then the process's RSS at ready and a while later (STARTUP_IDLE_MS, default 1 s).
// Run: `npx tsx bench/startup.ts [runs]` (default 5). Everything on 127.0.0.1. STARTUP_NODE_FLAGS: extra node flags
// (`--heap-prof`, `--trace-gc`); STARTUP_STDOUT=inherit shows the gateway's stdout.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startLocalIssuer } from '../src/dev/local-issuer.js'
import { startEmulator } from '../src/emulator/kafka-rest-emulator.js'
import { gatewayConfig } from './gateway-config.js'
import { freePort, rssMiB } from './processes.js'

const runs = Number(process.argv[2] ?? 5)
const idleMs = Number(process.env.STARTUP_IDLE_MS ?? 1_000)
/** STARTUP_MAIN: another build's entry, for a before/after comparison. */
const main = process.env.STARTUP_MAIN ?? join(import.meta.dirname, '..', 'dist', 'process', 'main.js')

const workDir = mkdtempSync(join(tmpdir(), 'gateway-startup-'))
const apiKey = 'startup-key'
const issuer = await startLocalIssuer()
const emulator = await startEmulator({ apiKeys: [apiKey] })
writeFileSync(join(workDir, 'upstream-key'), apiKey, { mode: 0o600 })
try {
  const rows: { readyMs: number; rssReady: number; rssLater: number }[] = []
  for (let run = 0; run < runs; run++) rows.push(await once())
  for (const row of rows)
    console.log(
      `ready ${row.readyMs.toFixed(0)} ms  rss at ready ${row.rssReady.toFixed(1)} MiB  idle ${row.rssLater.toFixed(1)} MiB`,
    )
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0
  console.log(
    `median: ready ${median(rows.map((r) => r.readyMs)).toFixed(0)} ms, rss ${median(rows.map((r) => r.rssReady)).toFixed(1)} / ${median(rows.map((r) => r.rssLater)).toFixed(1)} MiB`,
  )
} finally {
  await emulator.close()
  await issuer.close()
  rmSync(workDir, { recursive: true, force: true })
}

async function once(): Promise<{ readyMs: number; rssReady: number; rssLater: number }> {
  const port = await freePort()
  const configFile = join(workDir, 'gateway.yaml')
  writeFileSync(configFile, JSON.stringify(gatewayConfig({ port, upstreamUrl: emulator.url, issuer, workDir })))
  const started = performance.now()
  const child = spawn(
    process.execPath,
    [...(process.env.STARTUP_NODE_FLAGS?.split(' ').filter(Boolean) ?? []), main, '--config', configFile],
    { stdio: ['ignore', process.env.STARTUP_STDOUT === 'inherit' ? 'inherit' : 'ignore', 'inherit'] },
  )
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  try {
    while ((await probe(`http://127.0.0.1:${port}/readyz`)) !== 200) {
      if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}`)
      await new Promise((resolve) => setTimeout(resolve, 2))
    }
    const readyMs = performance.now() - started
    const pid = child.pid ?? 0
    const rssReady = rssMiB(pid)
    await new Promise((resolve) => setTimeout(resolve, idleMs))
    return { readyMs, rssReady, rssLater: rssMiB(pid) }
  } finally {
    child.kill('SIGTERM')
    await exited
  }
}

function probe(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', () => resolve(0))
  })
}
