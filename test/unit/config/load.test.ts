// loadConfig: YAML + env, env wins, and every bad value is reported against its key.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/config/load.js'
import { configProblems, minimalEnv } from '../../support/config.js'

const problemsOf = (sources: Parameters<typeof loadConfig>[0]) => configProblems(() => loadConfig(sources))

describe('loadConfig', () => {
  it('builds a full config from the GATEWAY_* variables alone', () => {
    const config = loadConfig({ env: { ...minimalEnv, GATEWAY_PORT: '9090', GATEWAY_JWT_AUDIENCE: 'a, b' } })
    expect(config.server.port).toBe(9090)
    expect(config.upstream.keys.default).toEqual({ value: 'k' })
    expect(config.auth.issuers[0]).toMatchObject({ issuer: 'https://idp.example/', audience: ['a', 'b'] })
    expect(config.upstream.timeoutMs).toBe(30_000)
  })

  it('loads the example YAML file, and the environment wins over it', () => {
    const config = loadConfig({
      argv: ['--config', 'config/gateway.example.yaml'],
      env: { GATEWAY_PORT: '7000' },
      readFile: (path) => readFileSync(path, 'utf8'),
    })
    expect(config.server.port).toBe(7000)
    expect(config.upstream.url).toBe('http://kafka-rest:8082')
  })

  it.each([
    [{ ...minimalEnv, GATEWAY_UPSTREAM_URL: 'nope' }, 'upstream.url (GATEWAY_UPSTREAM_URL) must be an http(s) URL'],
    [{ ...minimalEnv, GATEWAY_UPSTREAM_URL: undefined }, 'upstream.url (GATEWAY_UPSTREAM_URL) is required'],
    [{ ...minimalEnv, GATEWAY_PORT: 'eighty' }, 'server.port (GATEWAY_PORT) must be an integer from 0 to 65535'],
    [{ ...minimalEnv, GATEWAY_PORT: '70000' }, 'server.port (GATEWAY_PORT) must be an integer from 0 to 65535'],
    [{ ...minimalEnv, GATEWAY_PORT: '8080.5' }, 'server.port (GATEWAY_PORT) must be an integer from 0 to 65535'],
    [{ ...minimalEnv, GATEWAY_WORKERS: '0' }, 'server.workers (GATEWAY_WORKERS) must be an integer from 1 to 256'],
    [
      { ...minimalEnv, GATEWAY_UPSTREAM_TIMEOUT_MS: '0' },
      'upstream.timeoutMs (GATEWAY_UPSTREAM_TIMEOUT_MS) must be an integer of at least 1',
    ],
    [
      { ...minimalEnv, GATEWAY_LOG_LEVEL: 'loud' },
      'log.level (GATEWAY_LOG_LEVEL) must be one of fatal, error, warn, info, debug, trace, silent',
    ],
    [{ ...minimalEnv, GATEWAY_AUTHZ_ENABLED: 'maybe' }, 'authz.enabled (GATEWAY_AUTHZ_ENABLED) must be true or false'],
    [
      { ...minimalEnv, GATEWAY_UPSTREAM_API_KEY: undefined },
      'upstream.keys is required: set it in the config file or with GATEWAY_UPSTREAM_API_KEY',
    ],
    [
      { ...minimalEnv, GATEWAY_JWKS_URL: 'ftp://x' },
      'auth.issuers[0].jwksUrl (GATEWAY_JWKS_URL) must be an http(s) URL',
    ],
  ])('reports %o as a line naming the key', (env, expected) => {
    const problems = problemsOf({ env })
    expect(problems.some((line) => line.startsWith(expected))).toBe(true)
  })

  it('reports every problem at once, and unknown YAML keys by name', () => {
    const problems = problemsOf({
      argv: ['--config=gw.yaml'],
      env: {},
      readFile: () => 'server:\n  prot: 80\nupstream:\n  url: nope\n',
    })
    expect(problems).toContain('server.prot is not a known key; did you mean server.port?')
    expect(problems).toContain('upstream.url (GATEWAY_UPSTREAM_URL) must be an http(s) URL')
    expect(problems).toContainEqual(
      expect.stringMatching(/^auth is required: .*GATEWAY_JWT_ISSUER and GATEWAY_JWT_AUDIENCE/),
    )
  })

  it('suggests the key a typo meant, at any depth, and says nothing when no key is close', () => {
    const problems = problemsOf({
      file: 'gw.yaml',
      env: minimalEnv,
      readFile: () =>
        'upstreem: {}\nserver:\n  Host: x\n  tls: { certFile: a, keyFile: b, minVerson: TLSv1.3 }\nlog:\n  zzz: 1\n',
    })
    expect([...problems].sort()).toEqual([
      'log.zzz is not a known key',
      'server.Host is not a known key; did you mean server.host?',
      'server.tls.minVerson is not a known key; did you mean server.tls.minVersion?',
      'upstreem is not a known key; did you mean upstream?',
    ])
  })

  it('names the environment variables when nothing at all is configured', () => {
    const [problem, ...rest] = problemsOf({ env: {} })
    expect(rest).toEqual([])
    expect(problem).toMatch(/^nothing is configured: give a file with --config FILE \(or GATEWAY_CONFIG\)/)
    for (const name of [
      'GATEWAY_UPSTREAM_URL',
      'GATEWAY_UPSTREAM_API_KEY',
      'GATEWAY_JWT_ISSUER',
      'GATEWAY_JWT_AUDIENCE',
    ])
      expect(problem).toContain(name)
  })

  it('names the file when the YAML is broken or missing', () => {
    expect(problemsOf({ argv: ['--config', 'x.yaml'], readFile: () => 'a: [' })).toEqual([
      'config file x.yaml is not valid YAML: line 1, column 5: Flow sequence in block collection must be sufficiently indented and end with a ]\n    a: [\n        ^',
    ])
    expect(problemsOf({ file: 'x.yaml', readFile: () => '- a\n- b\n' })).toEqual([
      'config file x.yaml: the top level must be a mapping (key: value)',
    ])
    const missing = problemsOf({
      argv: ['--config', 'missing.yaml'],
      readFile: () => {
        throw Object.assign(new Error('nope'), { code: 'ENOENT' })
      },
    })
    expect(missing).toEqual(['cannot read config file missing.yaml: ENOENT'])
  })

  it('loads the YAML parser only when a file is given (a gateway configured by environment never pays for it)', () => {
    // A fresh process: this one has loaded the parser for other tests.
    const yamlLoaded = (sources: string) =>
      execFileSync(process.execPath, [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `import { readFileSync } from 'node:fs'
         import { createRequire } from 'node:module'
         import { loadConfig } from './src/config/load.ts'
         loadConfig(${sources})
         const cache = Object.keys(createRequire(import.meta.url).cache)
         process.stdout.write(String(cache.some((path) => path.includes('/node_modules/yaml/'))))`,
      ]).toString()
    expect(yamlLoaded(`{ env: ${JSON.stringify(minimalEnv)} }`)).toBe('false')
    expect(yamlLoaded(`{ file: 'config/gateway.minimal.yaml', readFile: (p) => readFileSync(p, 'utf8') }`)).toBe('true')
  })
})
