// The cors config section: YAML and GATEWAY_CORS_* values, defaults, and bad origins reported against the key.
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/config/load.js'
import { envProblems, minimalEnv } from '../../support/config.js'

describe('cors config', () => {
  it('defaults to no allowed origin, no credentials, a 10-minute preflight cache', () => {
    expect(loadConfig({ env: minimalEnv }).cors).toEqual({ origins: [], credentials: false, maxAgeSeconds: 600 })
  })

  it.each([
    ['https://app.example.com', ['https://app.example.com']],
    ['https://app.example.com, https://*.example.org', ['https://app.example.com', 'https://*.example.org']],
  ])('reads GATEWAY_CORS_ORIGINS=%j as a list', (value, origins) => {
    expect(loadConfig({ env: { ...minimalEnv, GATEWAY_CORS_ORIGINS: value } }).cors.origins).toEqual(origins)
  })

  it('reads GATEWAY_CORS_CREDENTIALS', () => {
    expect(loadConfig({ env: { ...minimalEnv, GATEWAY_CORS_CREDENTIALS: 'true' } }).cors.credentials).toBe(true)
  })

  it.each(['*', 'null', 'https://app.example.com/path', 'https://*', 'app.example.com'])(
    'refuses the origin %j, naming the key and variable',
    (value) => {
      const problems = envProblems({ GATEWAY_CORS_ORIGINS: `https://ok.example.com,${value}` })
      expect(problems).toEqual([expect.stringMatching(/^cors\.origins\[1\] \(GATEWAY_CORS_ORIGINS\) must be origins/)])
    },
  )
})
