// The package as a user gets it: `npm pack` of the checkout, the tarball installed into an empty app next to Express,
// and the mount snippet of docs/express.md run unchanged: produce and a whole v2 consumer flow through it, against the
// emulator with a token from a test issuer. Also what the tarball holds, its types, and its command.
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LocalIssuer, startLocalIssuer } from '../../src/dev/local-issuer.js'
import { type Emulator, startEmulator } from '../../src/emulator/kafka-rest-emulator.js'
import { eventually } from '../support/eventually.js'
import { b64, V2, V2_BINARY } from '../support/http.js'
import { gatewayEnv } from '../support/processes.js'

const run = promisify(execFile)
const API_KEY = 'package-install-upstream-key'
const repo = resolve('.')
const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
  version: string
  devDependencies: Record<string, string>
}
/** What a checkout holds that the build and the pack read; the rest of a checkout (tests, bench) cannot ship anyway. */
const CHECKOUT = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'LICENSE', 'README.md']
const CHECKOUT_DIRS = ['src', 'config', 'scripts']

/** The first ```js block of docs/express.md: the snippet users copy. */
function docsSnippet(): string {
  const match = /```js\n([\s\S]*?)```/.exec(readFileSync('docs/express.md', 'utf8'))
  if (!match?.[1]) throw new Error('docs/express.md has no js snippet')
  return match[1]
}

let work: string
let app: string
let entries: string[]
let emulator: Emulator
let issuer: LocalIssuer

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gateway-package-'))
  // A copy of the checkout (its own dist/ is rebuilt by `prepare`, so the working tree is left alone), sharing the
  // installed toolchain.
  const checkout = join(work, 'checkout')
  mkdirSync(checkout)
  for (const file of CHECKOUT) cpSync(file, join(checkout, file))
  for (const dir of CHECKOUT_DIRS) cpSync(dir, join(checkout, dir), { recursive: true })
  symlinkSync(join(repo, 'node_modules'), join(checkout, 'node_modules'), 'dir')
  const packed = join(work, 'packed')
  mkdirSync(packed)
  await run('npm', ['pack', '--pack-destination', packed, '--no-audit', '--no-fund'], { cwd: checkout })
  const [tarball] = readdirSync(packed)
  if (!tarball) throw new Error('npm pack wrote no tarball')
  entries = (await run('tar', ['-tzf', join(packed, tarball)])).stdout.split('\n').filter(Boolean)

  // The user's empty app: the tarball and Express, from the local npm cache when it has them.
  app = join(work, 'app')
  mkdirSync(app)
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'my-app', private: true, type: 'module' }))
  await run(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      join(packed, tarball),
      `express@${manifest.devDependencies.express}`,
    ],
    { cwd: app },
  )
  ;[emulator, issuer] = await Promise.all([startEmulator({ apiKeys: [API_KEY] }), startLocalIssuer()])
}, 240_000)

afterAll(async () => {
  await Promise.all([emulator?.close(), issuer?.close()])
  if (work) rmSync(work, { recursive: true, force: true })
})

describe('the tarball', () => {
  it('ships the built library, its types and the command, the example config, README and LICENSE', () => {
    for (const file of [
      'dist/index.js',
      'dist/index.d.ts',
      'dist/process/main.js',
      'LICENSE',
      'README.md',
      'package.json',
    ]) {
      expect(entries).toContain(`package/${file}`)
    }
    expect(entries).toContain('package/config/gateway.example.yaml')
    expect(readFileSync(join(app, 'node_modules/kafka-rest-gateway/LICENSE'), 'utf8')).toMatch(
      /^\s*Apache License\s+Version 2\.0, January 2004/,
    )
    expect(readFileSync(join(app, 'node_modules/kafka-rest-gateway/dist/process/main.js'), 'utf8')).toMatch(
      /^#!\/usr\/bin\/env node/,
    )
  })

  it('ships no development tools, no sources, no tests and no source maps', () => {
    expect(entries.filter((e) => /^package\/(src|test|bench|scripts|examples|docs)\//.test(e))).toEqual([])
    expect(entries.filter((e) => /^package\/dist\/(dev|emulator)\//.test(e))).toEqual([])
    expect(entries.filter((e) => /local-issuer|emulator|\.map$|\.tsbuildinfo$/.test(e))).toEqual([])
    expect(entries.every((e) => /^package\/(dist\/|config\/|LICENSE$|README\.md$|package\.json$)/.test(e))).toBe(true)
  })

  it('names Express as an optional peer, not a dependency', () => {
    const installed = JSON.parse(readFileSync(join(app, 'node_modules/kafka-rest-gateway/package.json'), 'utf8'))
    expect(installed.dependencies).not.toHaveProperty('express')
    expect(installed.peerDependencies).toHaveProperty('express')
    expect(installed.peerDependenciesMeta).toEqual({ express: { optional: true } })
    expect(installed.version).toBe(manifest.version)
  })
})

describe('installed into an app', () => {
  it('types its exports for a TypeScript app (NodeNext resolution through `exports`)', async () => {
    writeFileSync(
      join(app, 'check.ts'),
      [
        "import type { IncomingMessage, ServerResponse } from 'node:http'",
        "import { createGateway, type Gateway, loadConfig } from 'kafka-rest-gateway'",
        'const gateway: Gateway = createGateway(loadConfig({ env: process.env }))',
        'export const handler: (req: IncomingMessage, res: ServerResponse) => void = gateway.handler',
        '// @ts-expect-error: only the entries in `exports` can be imported',
        "import type { Gateway as Deep } from 'kafka-rest-gateway/dist/gateway.js'",
        '',
      ].join('\n'),
    )
    const compilerOptions = {
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
      typeRoots: [join(repo, 'node_modules/@types')],
    }
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['check.ts'] }))
    await expect(
      run(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', app]),
    ).resolves.toBeDefined()
  })

  it('loads with require() too, from CommonJS code (Node 20.19+ loads ES modules synchronously)', async () => {
    const script = "console.log(Object.keys(require('kafka-rest-gateway')).sort().join(','))"
    const { stdout } = await run(process.execPath, ['--input-type=commonjs', '-e', script], { cwd: app })
    expect(stdout.trim().split(',')).toEqual(expect.arrayContaining(['createGateway', 'loadConfig', 'listen']))
  })

  it('has a command that stops with exit code 2 and a plain message when nothing is configured', async () => {
    const failed = await run(join(app, 'node_modules/.bin/kafka-rest-gateway'), [], {
      cwd: app,
      env: { PATH: process.env.PATH },
    }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    )
    expect(failed?.code).toBe(2)
    expect(failed?.stderr).toMatch(/nothing is configured.*GATEWAY_UPSTREAM_URL/)
    expect(failed?.stderr).not.toMatch(/\n\s+at /)
  })

  describe("running the docs' snippet", () => {
    let child: ChildProcess
    let output = ''
    let url: string
    let token: string

    beforeAll(async () => {
      writeFileSync(join(app, 'app.js'), docsSnippet())
      const port = await freePort()
      const env = gatewayEnv(
        { upstreamUrl: emulator.url, apiKey: API_KEY, issuer },
        { PATH: process.env.PATH, PORT: String(port), GATEWAY_LOG_LEVEL: 'warn' },
      )
      child = spawn(process.execPath, ['app.js'], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] })
      for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk) => (output += chunk))
      url = `http://127.0.0.1:${port}/kafka`
      token = await issuer.mint({ sub: 'packaged' })
      await eventually(
        async () => {
          if (child.exitCode !== null) return true
          return (await fetch(`${url}/topics`, { headers: { authorization: `Bearer ${token}` } })).ok
        },
        { timeoutMs: 20_000 },
      )
      expect(child.exitCode, output).toBeNull()
    }, 30_000)
    afterAll(async () => {
      if (child?.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGTERM')
        await exited
      }
    })

    const send = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
      fetch(path.startsWith('http') ? path : `${url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, ...init.headers },
      })

    it('refuses a request without a token with the gateway own 401, and the REST proxy sees nothing', async () => {
      emulator.clearRequests()
      const res = await fetch(`${url}/topics/packaged`, {
        method: 'POST',
        headers: { 'content-type': V2_BINARY },
        body: JSON.stringify({ records: [{ value: b64('no token') }] }),
      })
      expect(res.status).toBe(401)
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /)
      expect(await res.json()).toMatchObject({ error_code: 40190, message: expect.any(String) })
      expect(emulator.requests).toEqual([])
    })

    it('produces, then creates a consumer, follows its base_uri to subscribe, read and delete', async () => {
      const produced = await send('/topics/packaged', {
        method: 'POST',
        headers: { 'content-type': V2_BINARY },
        body: JSON.stringify({ records: [{ value: b64('from the tarball') }] }),
      })
      expect(produced.status).toBe(200)

      const created = await send('/consumers/packaged-app', {
        method: 'POST',
        headers: { 'content-type': V2 },
        body: JSON.stringify({ name: 'c1', format: 'binary', 'auto.offset.reset': 'earliest' }),
      })
      expect(created.status).toBe(200)
      const { base_uri: baseUri } = (await created.json()) as { base_uri: string }
      expect(baseUri).toBe(`${url}/consumers/packaged-app/instances/c1`)

      const subscribed = await send(`${baseUri}/subscription`, {
        method: 'POST',
        headers: { 'content-type': V2 },
        body: JSON.stringify({ topics: ['packaged'] }),
      })
      expect(subscribed.status).toBe(204)
      const read = await send(`${baseUri}/records`, { headers: { accept: V2_BINARY } })
      expect(read.status).toBe(200)
      const records = (await read.json()) as Array<{ value: string }>
      expect(records.map((r) => Buffer.from(r.value, 'base64').toString())).toEqual(['from the tarball'])
      expect((await send(baseUri, { method: 'DELETE', headers: { 'content-type': V2 } })).status).toBe(204)
      // The upstream key went upstream, the user's token did not.
      expect(emulator.requests.every((r) => !JSON.stringify(r.headers).includes(token))).toBe(true)
    })
  })
})

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}
