// The real entry point as operators start it: the command line (help, version, validate-only, unknown flags) and every
// way a start can fail, each said in lines that name the key or flag, never a stack trace, with exit code 2.
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import net, { type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { envBindings } from '../../src/config/env.js'
import { runEntry } from '../support/processes.js'
import { createTestCa, type TestCa } from '../support/test-ca.js'

const ENTRY = 'src/process/main.ts'

const goodEnv = {
  GATEWAY_HOST: '127.0.0.1',
  GATEWAY_PORT: '0',
  GATEWAY_UPSTREAM_URL: 'http://127.0.0.1:9',
  GATEWAY_UPSTREAM_API_KEY: 'key',
  GATEWAY_JWKS_URL: 'http://127.0.0.1:9/jwks',
  GATEWAY_JWT_ISSUER: 'https://issuer.example/',
  GATEWAY_JWT_AUDIENCE: 'kafka',
}

/** Runs the entry to its exit; returns the exit code and everything it printed. */
async function run(env: NodeJS.ProcessEnv, args: string[] = []) {
  const started = runEntry(ENTRY, env, args)
  const code = await started.exited
  const output = started.output()
  expect(output).not.toMatch(/\bat .*\.[jt]s:\d+/) // a message, not a stack trace
  expect(output).not.toContain('listening') // nothing was served
  return { code, output }
}

let dir: string
let ca: TestCa
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gateway-startup-'))
  ca = createTestCa()
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
  ca.close()
})

describe('the command line', () => {
  it('--help lists every option, every GATEWAY_* variable with its key, and where the reference is', async () => {
    const { code, output } = await run({}, ['--help'])
    expect(code).toBe(0)
    for (const flag of ['--config FILE', '--check', '--help', '--version']) expect(output).toContain(flag)
    for (const binding of envBindings) {
      expect(output).toMatch(new RegExp(`^  ${binding.env} +${binding.path.join('\\.')}$`, 'm'))
    }
    expect(output).toContain('docs/configuration.md')
  })

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8'))
    const { code, output } = await run({}, ['--version'])
    expect(code).toBe(0)
    expect(output).toBe(`${version}\n`)
  })

  it.each([
    [['--confg', 'x.yaml'], 'unknown option --confg (did you mean --config?)'],
    [['--chek'], 'unknown option --chek (did you mean --check?)'],
    [['--port', '80'], 'unknown option --port'],
    [['gateway.yaml'], 'unexpected argument "gateway.yaml" (the config file goes after --config)'],
    [['--config'], '--config needs a file path'],
    [['--check=yes'], '--check takes no value'],
  ])('refuses %j naming it, before reading any config', async (args, message) => {
    // A valid environment: the flag alone is the reason for the refusal.
    const { code, output } = await run(goodEnv, args)
    expect(code).toBe(2)
    expect(output).toBe(`kafka-rest-gateway: ${message}\nRun kafka-rest-gateway --help for the options.\n`)
  })
})

describe('--check', () => {
  it('passes a valid configuration with exit 0 and serves nothing', async () => {
    const file = join(dir, 'ok.yaml')
    writeFileSync(file, 'server:\n  port: 0\n')
    const { code, output } = await run(goodEnv, ['--check', '--config', file])
    expect(code).toBe(0)
    expect(output).toBe('configuration OK\n')
  })

  it('reports every unreadable file and bad secret at once', async () => {
    const shortSecret = join(dir, 'short-secret')
    writeFileSync(shortSecret, 'too-short\n')
    const file = join(dir, 'many-problems.yaml')
    writeFileSync(
      file,
      [
        'upstream:',
        '  url: https://127.0.0.1:9',
        '  keys:',
        `    default: { file: ${join(dir, 'missing-key')} }`,
        '    team-a: { env: TEAM_A_KEY }',
        '  tls:',
        `    caFile: ${join(dir, 'missing-ca.pem')}`,
        'auth:',
        '  issuers:',
        '    - { issuer: a, audience: k, jwksUrl: "http://127.0.0.1:9/jwks" }',
        `    - { issuer: b, audience: k, secret: { file: ${shortSecret} } }`,
        `    - { issuer: c, audience: k, publicKeys: [{ file: ${join(dir, 'missing.pem')} }] }`,
        'server:',
        '  tls:',
        `    certFile: ${join(dir, 'missing.crt')}`,
        `    keyFile: ${join(dir, 'missing.key')}`,
      ].join('\n'),
    )
    const { code, output } = await run({}, ['--check', '--config', file])
    expect(code).toBe(2)
    expect(output.trimEnd().split('\n')).toEqual([
      `config error: upstream.keys.default: cannot read file ${join(dir, 'missing-key')} (ENOENT)`,
      'config error: upstream.keys.team-a: environment variable TEAM_A_KEY is empty or not set',
      'config error: auth.issuers[1].secret must be at least 32 bytes for HS256',
      `config error: auth.issuers[2].publicKeys[0]: ENOENT: no such file or directory, open '${join(dir, 'missing.pem')}'`,
      `config error: upstream.tls.caFile: cannot read ${join(dir, 'missing-ca.pem')} (ENOENT)`,
      `config error: server.tls.certFile: cannot read ${join(dir, 'missing.crt')} (ENOENT)`,
      `config error: server.tls.keyFile: cannot read ${join(dir, 'missing.key')} (ENOENT)`,
    ])
  })

  it('reports an audit file it could not write', async () => {
    const plainFile = join(dir, 'plain-file')
    writeFileSync(plainFile, '')
    const audit = join(plainFile, 'audit.log')
    const { code, output } = await run({ ...goodEnv, GATEWAY_AUDIT_OUTPUT: 'file', GATEWAY_AUDIT_FILE: audit }, [
      '--check',
    ])
    expect(code).toBe(2)
    expect(output).toBe(`config error: audit.file (GATEWAY_AUDIT_FILE): cannot write ${audit} (ENOTDIR)\n`)
  })

  it('finds a certificate and key that do not belong together', async () => {
    const one = ca.issue('one')
    const other = ca.issue('other')
    const { code, output } = await run(
      { ...goodEnv, GATEWAY_TLS_CERT_FILE: one.certFile, GATEWAY_TLS_KEY_FILE: other.keyFile },
      ['--check'],
    )
    expect(code).toBe(2)
    expect(output.trimEnd()).toMatch(
      new RegExp(`^config error: server.tls: ${one.certFile} and ${other.keyFile} are not a usable pair: .+$`),
    )
  })

  it('reports schema problems in human words, with the variable that sets the key', async () => {
    const { code, output } = await run({ ...goodEnv, GATEWAY_PORT: '8080.5', GATEWAY_LOG_LEVEL: 'loud' }, ['--check'])
    expect(code).toBe(2)
    expect(output).toBe(
      'config error: server.port (GATEWAY_PORT) must be an integer from 0 to 65535\n' +
        'config error: log.level (GATEWAY_LOG_LEVEL) must be one of fatal, error, warn, info, debug, trace, silent\n',
    )
  })
})

describe('start-up with a bad configuration', () => {
  it.each([
    [{ GATEWAY_UPSTREAM_URL: 'nope' }, 'config error: upstream.url (GATEWAY_UPSTREAM_URL) must be an http(s) URL'],
    [{ GATEWAY_UPSTREAM_API_KEY: '' }, 'config error: upstream.keys is required'],
    [
      { GATEWAY_UPSTREAM_API_KEY: '', GATEWAY_UPSTREAM_API_KEY_FILE: '/nonexistent/key' },
      'config error: upstream.keys.default: cannot read file /nonexistent/key (ENOENT)',
    ],
  ])('exits 2 for %o naming the key', async (override, message) => {
    const { code, output } = await run({ ...goodEnv, ...override })
    expect(code).toBe(2)
    expect(output).toContain(message)
  })

  it('names the environment variables when nothing is configured', async () => {
    const { code, output } = await run({})
    expect(code).toBe(2)
    expect(output).toMatch(/^config error: nothing is configured: give a file with --config FILE \(or GATEWAY_CONFIG\)/)
    expect(output).toContain('GATEWAY_UPSTREAM_URL and GATEWAY_UPSTREAM_API_KEY')
  })

  it('shows the line, column and text of a YAML mistake', async () => {
    const file = join(dir, 'broken.yaml')
    writeFileSync(file, 'server:\n  port: 8080\nupstream: [\n')
    const { code, output } = await run({}, ['--config', file])
    expect(code).toBe(2)
    expect(output).toMatch(new RegExp(`^config error: config file ${file} is not valid YAML: line \\d+, column \\d+: `))
    expect(output).toContain('upstream: [')
    expect(output).toMatch(/^ +\^$/m)
  })

  it('says in one line that the port is in use', async () => {
    const holder = net.createServer().listen(0, '127.0.0.1')
    await once(holder, 'listening')
    const { port } = holder.address() as AddressInfo
    try {
      const { code, output } = await run({ ...goodEnv, GATEWAY_PORT: String(port) })
      expect(code).toBe(2)
      expect(output).toBe(
        `kafka-rest-gateway: cannot listen on 127.0.0.1:${port}: it is already in use by another process; change server.port (GATEWAY_PORT)\n`,
      )
    } finally {
      holder.close()
    }
  })
})
