// `npm start` in a checkout with a production-only install: it runs what was built and never builds; without a build it
// says, in one line, what to run. `prepare` on such an install (no TypeScript) leaves dist/ alone instead of failing.
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LocalIssuer, startLocalIssuer } from '../../src/dev/local-issuer.js'
import { type Emulator, startEmulator } from '../../src/emulator/kafka-rest-emulator.js'
import { eventually } from '../support/eventually.js'
import { b64, V2_BINARY } from '../support/http.js'
import { gatewayEnv } from '../support/processes.js'

const run = promisify(execFile)
const API_KEY = 'npm-start-upstream-key'

interface Outcome {
  code: number
  stdout: string
  stderr: string
}

/** Runs a command to its end; a non-zero exit is an outcome here, not an error. */
const outcome = (command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) =>
  run(command, args, options).then(
    ({ stdout, stderr }): Outcome => ({ code: 0, stdout, stderr }),
    (error: Outcome) => error,
  )

describe('npm start in a production-only install of a checkout', () => {
  let dir: string
  let install: Outcome

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-start-'))
    for (const file of ['package.json', 'package-lock.json']) cpSync(file, join(dir, file))
    cpSync('scripts', join(dir, 'scripts'), { recursive: true })
    // With scripts, as a user runs it: `prepare` runs and finds no TypeScript.
    install = await outcome('npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: dir })
  }, 180_000)
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('has no prestart build', () => {
    const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }
    expect(scripts).not.toHaveProperty('prestart')
    expect(scripts.start).not.toMatch(/build|tsc/)
  })

  it('installs: prepare leaves dist/ alone when TypeScript is not there', () => {
    expect(install.code, install.stderr).toBe(0)
    expect(install.stderr).toContain('production-only install')
    expect(existsSync(join(dir, 'node_modules', 'typescript'))).toBe(false)
  })

  it('without a build, prints one line asking for `npm run build`, builds nothing and exits 1', async () => {
    const started = await outcome('npm', ['start', '--silent'], { cwd: dir, env: { PATH: process.env.PATH } })
    expect(started.code).toBe(1)
    expect(started.stderr.trim().split('\n')).toEqual([expect.stringContaining('run `npm run build`')])
    expect(existsSync(join(dir, 'dist'))).toBe(false)
  })

  describe('with a build', () => {
    let emulator: Emulator
    let issuer: LocalIssuer
    let child: ChildProcess
    let output = ''

    beforeAll(async () => {
      await run('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', join(dir, 'dist')])
      ;[emulator, issuer] = await Promise.all([startEmulator({ apiKeys: [API_KEY] }), startLocalIssuer()])
    }, 120_000)
    afterAll(async () => {
      if (child?.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        // npm, its shell and the gateway share the process group started here.
        process.kill(-(child.pid as number), 'SIGTERM')
        await exited
      }
      await Promise.all([emulator?.close(), issuer?.close()])
    })

    it('starts the built gateway, which serves', async () => {
      const env = gatewayEnv({ upstreamUrl: emulator.url, apiKey: API_KEY, issuer }, { PATH: process.env.PATH })
      child = spawn('npm', ['start', '--silent'], { cwd: dir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
      for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk) => (output += chunk))
      const url = (await eventually(() => /"url":"(http:[^"]+)"/.exec(output)?.[1], { timeoutMs: 20_000 })) as string
      const res = await fetch(`${url}/topics/started`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await issuer.mint({ sub: 'npm-start' })}`, 'content-type': V2_BINARY },
        body: JSON.stringify({ records: [{ value: b64('hello') }] }),
      })
      expect(res.status).toBe(200)
      expect(output).not.toMatch(/tsc|error/i)
    })
  })
})
