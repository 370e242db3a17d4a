// A gateway whose metrics nobody serves never loads prom-client, and the key fetch never loads Node's fetch (memory per
// idle process); serving or reading metrics loads prom-client.
import { describe, expect, it } from 'vitest'
import type { LocalIssuer } from '../../src/dev/local-issuer.js'
import { runEntry } from '../support/processes.js'
import { baseConfig } from '../support/stack.js'

// The JWKS address refuses connections: warm-up still tries it, over whatever client the gateway uses.
const issuer = { issuer: 'https://idp.example/', audience: 'kafka', jwksUrl: 'http://127.0.0.1:9/jwks' } as LocalIssuer

async function loaded(
  overrides: Record<string, unknown>,
  read = false,
): Promise<{ promClient: boolean; fetch: boolean }> {
  const config = { ...baseConfig('http://127.0.0.1:9', 'key', issuer), ...overrides }
  const run = runEntry('test/fixtures/optional-modules-loaded.ts', {}, [JSON.stringify(config), read ? 'read' : ''])
  expect(await run.exited, run.output()).toBe(0)
  return JSON.parse(run.output().trim())
}

describe('loading prom-client and fetch', () => {
  it('loads neither without an admin port or metrics on the main port', async () => {
    expect(await loaded({})).toEqual({ promClient: false, fetch: false })
  })

  it('loads prom-client at warm-up when the admin port serves metrics', async () => {
    expect(await loaded({ server: { host: '127.0.0.1', port: 0, adminPort: 0 } })).toMatchObject({ promClient: true })
  })

  it('loads prom-client at warm-up when the main port serves metrics', async () => {
    expect(await loaded({ metrics: { onMainPort: true } })).toMatchObject({ promClient: true })
  })

  it('loads prom-client when the metrics are read', async () => {
    expect(await loaded({}, true)).toEqual({ promClient: true, fetch: false })
  })
})
