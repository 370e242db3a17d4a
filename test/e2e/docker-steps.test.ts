// The Docker image's steps without a Docker engine: what the Dockerfile promises, then its build and runtime stages
// reproduced in a temp directory (build, production-only install, start as the image does, HEALTHCHECK, SIGTERM → 0).
import { execFile, spawn } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
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
const API_KEY = 'docker-steps-upstream-key'

/** Dockerfile instructions, continuation lines joined, per stage. */
function instructions(text: string): Array<{ stage: string; op: string; args: string }> {
  let stage = ''
  return text
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .filter((line) => line.trim() && !line.trim().startsWith('#'))
    .map((line) => {
      const [op = '', ...rest] = line.trim().split(/\s+/)
      const args = rest.join(' ')
      if (op === 'FROM') stage = args.split(' AS ')[1] ?? ''
      return { stage, op, args }
    })
}

const dockerfile = instructions(readFileSync('Dockerfile', 'utf8'))
const runtime = dockerfile.filter((i) => i.stage === 'runtime')
const args = (op: string) => runtime.filter((i) => i.op === op).map((i) => i.args)

describe('the Dockerfile', () => {
  it('builds on node:24-slim and runs as a numeric non-root user with production dependencies only', () => {
    expect(dockerfile.filter((i) => i.op === 'FROM').map((i) => i.args)).toEqual([
      'node:24-slim AS build',
      'build AS dev-issuer',
      'node:24-slim AS runtime',
    ])
    expect(args('RUN').join(' ')).toMatch(/npm ci --omit=dev --ignore-scripts/)
    // The build stage installs before it copies the sources: the `prepare` build must not run there.
    const build = dockerfile.filter((i) => i.stage === 'build')
    const install = build.findIndex((i) => i.op === 'RUN' && i.args.startsWith('npm ci'))
    expect(build[install]?.args).toMatch(/--ignore-scripts/)
    expect(build.findIndex((i) => i.op === 'COPY' && i.args.startsWith('src '))).toBeGreaterThan(install)
    expect(build.filter((i) => i.op === 'RUN').map((i) => i.args)).toContain('npm run build')
    // Numeric (the node image's `node` user): Kubernetes' runAsNonRoot cannot verify a user name.
    expect(args('USER')).toEqual(['1000:1000'])
    expect(args('STOPSIGNAL')).toEqual(['SIGTERM'])
    expect(args('HEALTHCHECK')).toHaveLength(1)
    expect(args('CMD').at(-1)).toBe('["node", "dist/process/main.js"]')
    // Only the build output and the package files reach the runtime stage.
    expect(args('COPY')).toEqual([
      'package.json package-lock.json ./',
      '--from=build /app/dist ./dist',
      'config/gateway.example.yaml config/gateway.minimal.yaml ./config/',
    ])
  })

  it('has a separate, development-only stage for the local token issuer of the compose quick start', () => {
    const issuer = dockerfile.filter((i) => i.stage === 'dev-issuer')
    expect(issuer.find((i) => i.op === 'CMD')?.args).toBe('["node", "--import", "tsx", "src/dev/issuer-main.ts"]')
    expect(issuer.find((i) => i.op === 'USER')?.args).toBe('1000:1000')
    // The default target (the last stage) is the gateway.
    expect(dockerfile.at(-1)?.stage).toBe('runtime')
  })

  it('lets only the build inputs into the build context', () => {
    const ignore = readFileSync('.dockerignore', 'utf8')
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
    expect(ignore[0]).toBe('*')
    expect(ignore.slice(1).sort()).toEqual(
      [
        '!config/gateway.example.yaml',
        '!config/gateway.minimal.yaml',
        '!package-lock.json',
        '!package.json',
        '!src/',
        '!tsconfig.build.json',
        '!tsconfig.json',
      ].sort(),
    )
  })
})

describe('the image, reproduced', () => {
  let dir: string
  let emulator: Emulator
  let issuer: LocalIssuer
  const healthcheck = JSON.parse(args('HEALTHCHECK')[0]?.replace(/^.*?CMD /, '') ?? '[]') as string[]

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-image-'))
    ;[emulator, issuer] = await Promise.all([startEmulator({ apiKeys: [API_KEY] }), startLocalIssuer()])
    // Build stage: the repository's own toolchain (already installed from the same lock file) compiles src.
    // (tsconfig.build.json leaves the dev mode and the emulator out.)
    await run('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', join(dir, 'dist')])
    // Runtime stage: the package files, a production-only install (offline from the npm cache when it can), the output.
    for (const file of [
      'package.json',
      'package-lock.json',
      'config/gateway.example.yaml',
      'config/gateway.minimal.yaml',
    ]) {
      cpSync(file, join(dir, file))
    }
    await run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: dir,
    })
  }, 180_000)
  afterAll(async () => {
    await Promise.all([emulator.close(), issuer.close()])
    rmSync(dir, { recursive: true, force: true })
  })

  it('has no development dependency in the runtime install, nor Express (the gateway never imports it)', () => {
    expect(() => readFileSync(join(dir, 'node_modules', 'vitest', 'package.json'))).toThrow()
    expect(() => readFileSync(join(dir, 'node_modules', 'express', 'package.json'))).toThrow()
    expect(() => readFileSync(join(dir, 'node_modules', 'jose', 'package.json'))).not.toThrow()
  })

  it('has no development tools and no source maps in its build', () => {
    expect(existsSync(join(dir, 'dist', 'process', 'main.js'))).toBe(true)
    expect(existsSync(join(dir, 'dist', 'dev'))).toBe(false)
    expect(existsSync(join(dir, 'dist', 'emulator'))).toBe(false)
    expect(readdirSync(join(dir, 'dist'), { recursive: true }).filter((f) => String(f).endsWith('.map'))).toEqual([])
  })

  it('starts with `node dist/process/main.js`, serves, passes its HEALTHCHECK, and exits 0 on SIGTERM', async () => {
    const env = gatewayEnv(
      { upstreamUrl: emulator.url, apiKey: API_KEY, issuer },
      { PATH: process.env.PATH, NODE_ENV: 'production', GATEWAY_ADMIN_PORT: String(await freePort()) },
    )
    const gateway = spawn('node', ['dist/process/main.js'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    for (const stream of [gateway.stdout, gateway.stderr]) stream.on('data', (chunk) => (output += chunk))
    const exited = new Promise<number | null>((resolve) => gateway.once('exit', resolve))
    try {
      const url = (await eventually(() => /"url":"(http:[^"]+)"/.exec(output)?.[1], { timeoutMs: 20_000 })) as string
      const probe = () => run(healthcheck[0] as string, healthcheck.slice(1), { cwd: dir, env })
      await expect(probe()).resolves.toBeDefined()

      const res = await fetch(`${url}/topics/from-the-image`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await issuer.mint({ sub: 'docker' })}`, 'content-type': V2_BINARY },
        body: JSON.stringify({ records: [{ value: b64('hello') }] }),
      })
      expect(res.status).toBe(200)

      gateway.kill('SIGTERM')
      expect(await exited).toBe(0)
      await expect(probe()).rejects.toMatchObject({ code: 1 }) // and the HEALTHCHECK now fails
    } finally {
      if (gateway.exitCode === null) gateway.kill('SIGKILL')
    }
  })
})

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net')
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}
