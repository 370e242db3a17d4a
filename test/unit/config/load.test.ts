// loadConfig: YAML + env, env wins, and every bad value is reported against its key.
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
    [{ ...minimalEnv, GATEWAY_PORT: 'eighty' }, 'server.port (GATEWAY_PORT) expected number, received string'],
    [{ ...minimalEnv, GATEWAY_PORT: '70000' }, 'server.port (GATEWAY_PORT) Too big: expected number to be <=65535'],
    [{ ...minimalEnv, GATEWAY_LOG_LEVEL: 'loud' }, 'log.level (GATEWAY_LOG_LEVEL)'],
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
    expect(problems).toContain('server: unknown key(s) "prot"')
    expect(problems).toContain('upstream.url (GATEWAY_UPSTREAM_URL) must be an http(s) URL')
    expect(problems).toContain('auth is required')
  })

  it('names the file when the YAML is broken or missing', () => {
    expect(problemsOf({ argv: ['--config', 'x.yaml'], readFile: () => 'a: [' })[0]).toMatch(
      /^config file x.yaml is not valid YAML/,
    )
    const missing = problemsOf({
      argv: ['--config', 'missing.yaml'],
      readFile: () => {
        throw Object.assign(new Error('nope'), { code: 'ENOENT' })
      },
    })
    expect(missing).toEqual(['cannot read config file missing.yaml: ENOENT'])
  })
})
