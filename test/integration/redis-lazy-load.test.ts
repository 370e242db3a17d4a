// A gateway without Redis never loads the Redis client library (memory per idle process); with Redis it does.
import { describe, expect, it } from 'vitest'
import type { LocalIssuer } from '../../src/dev/local-issuer.js'
import { runEntry } from '../support/processes.js'
import { baseConfig } from '../support/stack.js'

const issuer = { issuer: 'https://idp.example/', audience: 'kafka', jwksUrl: 'http://127.0.0.1:9/jwks' } as LocalIssuer

async function loadsIoredis(rateLimit: Record<string, unknown>): Promise<string> {
  const config = { ...baseConfig('http://127.0.0.1:9', 'key', issuer), rateLimit }
  const run = runEntry('test/fixtures/ioredis-loaded.ts', {}, [JSON.stringify(config)])
  expect(await run.exited, run.output()).toBe(0)
  return run.output().trim()
}

describe('loading ioredis', () => {
  it('does not happen without a Redis URL', async () => {
    expect(await loadsIoredis({})).toBe('false')
  })

  it('happens when Redis is configured (even while it cannot be reached)', async () => {
    expect(await loadsIoredis({ redis: { url: 'redis://127.0.0.1:9' } })).toBe('true')
  })
})
