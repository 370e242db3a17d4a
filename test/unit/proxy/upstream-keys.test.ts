// Upstream keys: which key each caller gets, and reloads that keep the previous key when a source goes bad.
import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import type { Identity } from '../../../src/auth/identity.js'
import { type ConfigInput, configSchema } from '../../../src/config/schema.js'
import { createLogger } from '../../../src/observability/logger.js'
import { createUpstreamKeys } from '../../../src/proxy/upstream-keys.js'

const KEYS = { default: 'key-default', teamA: 'key-team-a', partner: 'key-partner', partnerA: 'key-partner-a' }

function upstream(input: Partial<ConfigInput['upstream']>) {
  const base = { url: 'http://upstream:8082', keys: { default: { value: KEYS.default } }, keyReloadIntervalMs: 0 }
  return configSchema.shape.upstream.parse({ ...base, ...input })
}

function capture() {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk))
      done()
    },
  })
  return { logger: createLogger({ level: 'info' }, stream), lines }
}

const who = (issuer: string, tenant?: string): Identity => ({ subject: 's', issuer, tenant, scopes: [], expiresAt: 0 })

describe('key mapping', () => {
  const config = upstream({
    keys: {
      default: { value: KEYS.default },
      teamA: { value: KEYS.teamA },
      partner: { value: KEYS.partner },
      partnerA: { value: KEYS.partnerA },
    },
    keyMapping: [
      { tenant: 'a', key: 'teamA' },
      { issuer: 'https://partner/', key: 'partner' },
      { issuer: 'https://partner/', tenant: 'a', key: 'partnerA' },
    ],
  })
  const keys = createUpstreamKeys(config, { env: {}, readFile: () => '' }, capture().logger)

  it.each([
    ['no identity', undefined, 'default'],
    ['an unmapped caller', who('https://idp/'), 'default'],
    ['an unmapped tenant', who('https://idp/', 'b'), 'default'],
    ['a mapped tenant', who('https://idp/', 'a'), 'teamA'],
    ['a mapped issuer', who('https://partner/'), 'partner'],
    ['a mapped issuer with another tenant', who('https://partner/', 'b'), 'partner'],
    ['issuer and tenant together (most specific)', who('https://partner/', 'a'), 'partnerA'],
  ])('gives %s the %s key', (_case, identity, name) => {
    const key = keys.forIdentity(identity)
    expect(key.name).toBe(name)
    expect(key.value).toBe(KEYS[name as keyof typeof KEYS])
  })
})

describe('config validation of the mapping', () => {
  it.each([
    [[{ tenant: 'a', key: 'missing' }], 'keyMapping.0.key'],
    [[{ key: 'default' }], 'keyMapping.0'],
    [
      [
        { tenant: 'a', key: 'default' },
        { tenant: 'a', key: 'default' },
      ],
      'keyMapping.1',
    ],
  ])('refuses %j at %s', (keyMapping, path) => {
    const result = configSchema.shape.upstream.safeParse({
      url: 'http://u',
      keys: { default: { value: 'k' } },
      keyMapping,
    })
    expect(result.success).toBe(false)
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(path)
  })
})

describe('reload', () => {
  function fileKeys(initial: string) {
    const files: Record<string, string> = { '/keys/default': initial }
    const log = capture()
    const readFile = (path: string) => {
      const text = files[path]
      if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' })
      return text
    }
    const keys = createUpstreamKeys(
      upstream({ keys: { default: { file: '/keys/default' } } }),
      { env: {}, readFile },
      log.logger,
    )
    return { keys, files, log }
  }

  it('picks up a new key and logs its name, not its value', () => {
    const { keys, files, log } = fileKeys('old-key\n')
    expect(keys.forIdentity(undefined).value).toBe('old-key')
    files['/keys/default'] = 'new-key\n'
    keys.reload()
    expect(keys.forIdentity(undefined).value).toBe('new-key')
    expect(log.lines.join('')).toContain('upstream key reloaded')
    expect(log.lines.join('')).not.toMatch(/old-key|new-key/)
  })

  it('logs nothing when the key did not change', () => {
    const { keys, log } = fileKeys('same-key')
    keys.reload()
    expect(log.lines).toEqual([])
  })

  it.each([
    ['empty', '', 'is empty'],
    ['blank', ' \n\n', 'is empty'],
    ['two keys on two lines', 'old-key\nnew-key\n', 'one key on one line'],
    ['a key with a space', 'new key', 'one key on one line'],
    ['a control character', 'new\u0000key', 'one key on one line'],
    ['deleted', undefined, 'ENOENT'],
  ])('keeps the previous key when the file is %s, and says why', (_case, text, reason) => {
    const { keys, files, log } = fileKeys('good-key')
    if (text === undefined) delete files['/keys/default']
    else files['/keys/default'] = text
    keys.reload()
    expect(keys.forIdentity(undefined).value).toBe('good-key')
    const line = JSON.parse(log.lines[0] as string)
    expect(line).toMatchObject({ level: 40, key: 'default', msg: expect.stringContaining('keeping the previous key') })
    expect(line.reason).toContain(reason)
    expect(log.lines.join('')).not.toContain('good-key')
  })

  it('re-reads { env } keys too', () => {
    const env: Record<string, string> = { KEY: 'env-old' }
    const keys = createUpstreamKeys(
      upstream({ keys: { default: { env: 'KEY' } } }),
      { env, readFile: () => '' },
      capture().logger,
    )
    env.KEY = 'env-new'
    keys.reload()
    expect(keys.forIdentity(undefined).value).toBe('env-new')
  })

  it('refuses to start with a bad key and names the key, not the value', () => {
    expect(() =>
      createUpstreamKeys(
        upstream({ keys: { default: { value: 'has space' } } }),
        { env: {}, readFile: () => '' },
        capture().logger,
      ),
    ).toThrow(/^config error: upstream\.keys\.default: the value must hold one key on one line/)
  })
})
