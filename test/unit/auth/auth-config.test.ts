// The auth section of the config: one key source per issuer, algorithm families, `none` impossible, defaults.
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/config/load.js'
import { configProblems } from '../../support/config.js'

const env = { GATEWAY_UPSTREAM_URL: 'http://upstream:8082', GATEWAY_UPSTREAM_API_KEY: 'k' }

function load(issuer: string, auth = '') {
  const yaml = `auth:\n${auth}  issuers:\n    - issuer: https://idp.example/\n      audience: kafka\n${issuer}`
  return loadConfig({ argv: ['--config', 'gw.yaml'], env, readFile: () => yaml })
}

describe('auth config', () => {
  it('defaults: asymmetric algorithms for a JWKS, HS256 for a secret, 30 s tolerance, sub, caches and JWKS limits', () => {
    const config = load('      jwksUrl: https://idp.example/jwks\n')
    expect(config.auth).toMatchObject({
      xAuthToken: true,
      queryToken: false,
      realm: 'kafka-rest-gateway',
      maxTokenBytes: 8192,
      tokenCacheSize: 10_000,
      negativeCacheSeconds: 5,
      jwks: { timeoutMs: 5000, cooldownSeconds: 30, refreshSeconds: 300, maxBytes: 131_072 },
    })
    const [issuer] = config.auth.issuers
    expect(issuer).toMatchObject({ clockToleranceSeconds: 30, subjectClaim: 'sub', requiredClaims: [] })
    expect(issuer?.algorithms).toContain('ES256')
    expect(issuer?.algorithms.some((alg) => alg.startsWith('HS'))).toBe(false)
    const hmac = load('      secret: { env: IDP_SECRET }\n').auth.issuers[0]
    expect(hmac?.algorithms).toEqual(['HS256'])
  })

  it.each([
    [
      '      jwksUrl: https://idp.example/jwks\n      secret: { value: s }\n',
      'needs one key source (jwksUrl, publicKeys or secret), not jwksUrl and secret',
    ],
    ['      jwksUrl: https://idp.example/jwks\n      publicKeys: [{ pem: x }]\n', 'not jwksUrl and publicKeys'],
    [
      '      jwksUrl: https://idp.example/jwks\n      algorithms: [none]\n',
      'algorithms[0] "none" can never be enabled',
    ],
    [
      '      jwksUrl: https://idp.example/jwks\n      algorithms: [NONE]\n',
      'algorithms[0] "none" can never be enabled',
    ],
    ['      jwksUrl: https://idp.example/jwks\n      algorithms: [RS1]\n', 'algorithms[0] must be one of RS256'],
    [
      '      jwksUrl: https://idp.example/jwks\n      algorithms: [RS256, HS256]\n',
      'algorithms HS256 need a `secret`: HMAC is never allowed with public keys (key confusion)',
    ],
    ['      publicKeys: [{ pem: x }]\n      algorithms: [HS512]\n', 'algorithms HS512 need a `secret`'],
    [
      '      secret: { value: s }\n      algorithms: [HS256, ES256]\n',
      'algorithms an HMAC secret allows only HS256, HS384, HS512',
    ],
    ['      publicKeys: [{ der: x }]\n', 'publicKeys[0] must be one of { pem }, { jwk } or { file }'],
    ['      jwksUrl: file:///etc/jwks\n', '(GATEWAY_JWKS_URL) must be an http(s) URL'],
    ['      jwksUrl: https://idp.example/jwks\n      subjectClaim: ""\n', 'subjectClaim'],
  ])('refuses issuer %j with a line naming the key', (issuer, expected) => {
    const problems = configProblems(() => load(issuer))
    expect(problems.some((line) => line.startsWith('auth.issuers[0]') && line.includes(expected))).toBe(true)
  })

  it('refuses the same issuer twice and a realm that would break the header', () => {
    const yaml = `auth:\n  realm: 'a"b'\n  issuers:\n${'    - { issuer: x, audience: a, jwksUrl: "https://i/j" }\n'.repeat(2)}`
    const problems = configProblems(() => loadConfig({ argv: ['--config', 'gw.yaml'], env, readFile: () => yaml }))
    expect(problems).toContain('auth.issuers lists the same issuer twice')
    expect(problems).toContain('auth.realm (GATEWAY_AUTH_REALM) must be printable ASCII without quotes or backslashes')
  })

  it('uses OIDC discovery for an http(s) issuer without a key source; any other issuer needs one', () => {
    const [issuer] = load('').auth.issuers
    expect(issuer?.issuer).toBe('https://idp.example/')
    expect([issuer?.jwksUrl, issuer?.publicKeys, issuer?.secret]).toEqual([undefined, undefined, undefined])
    const yaml = 'auth:\n  issuers:\n    - issuer: batch-jobs\n      audience: kafka\n'
    expect(configProblems(() => loadConfig({ file: 'gw.yaml', env, readFile: () => yaml }))).toEqual([
      'auth.issuers[0] needs a key source (jwksUrl, publicKeys or secret), or an http(s) issuer URL whose keys OIDC discovery finds',
    ])
    const fromEnv = loadConfig({
      env: { ...env, GATEWAY_JWT_ISSUER: 'https://idp.example/', GATEWAY_JWT_AUDIENCE: 'k' },
    })
    expect(fromEnv.auth.issuers[0]?.jwksUrl).toBeUndefined()
  })

  it('keeps the single-issuer environment shortcuts working', () => {
    const config = loadConfig({
      env: {
        ...env,
        GATEWAY_JWKS_URL: 'https://idp.example/jwks',
        GATEWAY_JWT_ISSUER: 'https://idp.example/',
        GATEWAY_JWT_AUDIENCE: 'a,b',
        GATEWAY_AUTH_QUERY_TOKEN: 'true',
        GATEWAY_AUTH_X_AUTH_TOKEN: 'false',
        GATEWAY_AUTH_MAX_TOKEN_BYTES: '4096',
        GATEWAY_AUTH_TOKEN_CACHE_SIZE: '0',
        GATEWAY_AUTH_REALM: 'kafka',
      },
    })
    expect(config.auth).toMatchObject({
      queryToken: true,
      xAuthToken: false,
      maxTokenBytes: 4096,
      tokenCacheSize: 0,
      realm: 'kafka',
      issuers: [{ issuer: 'https://idp.example/', audience: ['a', 'b'], jwksUrl: 'https://idp.example/jwks' }],
    })
  })
})
