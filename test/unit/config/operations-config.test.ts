// The operations settings: defaults, GATEWAY_* variables, and each bad combination reported against its key.
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/config/load.js'
import { envProblems, minimalEnv } from '../../support/config.js'

describe('operations configuration', () => {
  it('has production defaults: timeouts, limits, drain, no admin port, metrics off the main port, probes unlogged', () => {
    const { server, upstream, log, metrics } = loadConfig({ env: minimalEnv })
    expect(server).toMatchObject({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 60_000,
      keepAliveTimeoutMs: 5_000,
      shutdownGraceMs: 25_000,
      maxHeaderBytes: 16_384,
      maxHeaders: 100,
      workers: 1,
    })
    expect(server.adminPort).toBeUndefined()
    expect(server.tls).toBeUndefined()
    expect(upstream).toMatchObject({ connectTimeoutMs: 5_000, healthCheckIntervalMs: 10_000 })
    expect([log.probes, metrics.onMainPort]).toEqual([false, false])
  })

  it('reads every setting from its GATEWAY_* variable', () => {
    const config = loadConfig({
      env: {
        ...minimalEnv,
        GATEWAY_UPSTREAM_URL: 'https://upstream:8443',
        GATEWAY_ADMIN_PORT: '9090',
        GATEWAY_HEADERS_TIMEOUT_MS: '2000',
        GATEWAY_REQUEST_TIMEOUT_MS: '3000',
        GATEWAY_KEEP_ALIVE_TIMEOUT_MS: '4000',
        GATEWAY_SHUTDOWN_GRACE_MS: '0',
        GATEWAY_MAX_HEADER_BYTES: '8192',
        GATEWAY_MAX_HEADERS: '50',
        GATEWAY_TLS_CERT_FILE: '/tls/crt',
        GATEWAY_TLS_KEY_FILE: '/tls/key',
        GATEWAY_TLS_MIN_VERSION: 'TLSv1.3',
        GATEWAY_UPSTREAM_CONNECT_TIMEOUT_MS: '1000',
        GATEWAY_UPSTREAM_HEALTH_CHECK_INTERVAL_MS: '500',
        GATEWAY_UPSTREAM_CA_FILE: '/tls/ca',
        GATEWAY_UPSTREAM_CERT_FILE: '/tls/client.crt',
        GATEWAY_UPSTREAM_KEY_FILE: '/tls/client.key',
        GATEWAY_UPSTREAM_TLS_MIN_VERSION: 'TLSv1.3',
        GATEWAY_LOG_PROBES: 'true',
        GATEWAY_METRICS_ON_MAIN_PORT: 'yes',
        GATEWAY_WORKERS: '4',
        GATEWAY_REDIS_URL: 'redis://redis:6379',
      },
    })
    expect(config.server).toMatchObject({
      adminPort: 9090,
      headersTimeoutMs: 2000,
      requestTimeoutMs: 3000,
      keepAliveTimeoutMs: 4000,
      shutdownGraceMs: 0,
      maxHeaderBytes: 8192,
      maxHeaders: 50,
      workers: 4,
      tls: { certFile: '/tls/crt', keyFile: '/tls/key', minVersion: 'TLSv1.3' },
    })
    expect(config.upstream).toMatchObject({
      connectTimeoutMs: 1000,
      healthCheckIntervalMs: 500,
      tls: { caFile: '/tls/ca', certFile: '/tls/client.crt', keyFile: '/tls/client.key', minVersion: 'TLSv1.3' },
    })
    expect([config.log.probes, config.metrics.onMainPort]).toEqual([true, true])
  })

  it.each([
    [
      { GATEWAY_HEADERS_TIMEOUT_MS: '70000' },
      'server.headersTimeoutMs (GATEWAY_HEADERS_TIMEOUT_MS) headersTimeoutMs must not exceed requestTimeoutMs',
    ],
    [{ GATEWAY_ADMIN_PORT: '8080' }, 'server.adminPort (GATEWAY_ADMIN_PORT) must differ from server.port'],
    [{ GATEWAY_MAX_HEADERS: '5' }, 'server.maxHeaders (GATEWAY_MAX_HEADERS)'],
    [{ GATEWAY_TLS_CERT_FILE: '/tls/crt' }, 'server.tls.keyFile (GATEWAY_TLS_KEY_FILE) is required'],
    [
      { GATEWAY_TLS_CERT_FILE: '/c', GATEWAY_TLS_KEY_FILE: '/k', GATEWAY_TLS_MIN_VERSION: 'TLSv1.1' },
      'server.tls.minVersion',
    ],
    [{ GATEWAY_UPSTREAM_CA_FILE: '/tls/ca' }, 'upstream.tls needs an https:// upstream.url'],
    [
      { GATEWAY_UPSTREAM_URL: 'https://u', GATEWAY_UPSTREAM_CERT_FILE: '/c' },
      'upstream.tls certFile and keyFile go together (client certificate)',
    ],
    [
      { GATEWAY_WORKERS: '2' },
      'server.workers (GATEWAY_WORKERS) more than 1 needs rateLimit.redis.url (GATEWAY_REDIS_URL)',
    ],
    [{ GATEWAY_UPSTREAM_CONNECT_TIMEOUT_MS: '0' }, 'upstream.connectTimeoutMs (GATEWAY_UPSTREAM_CONNECT_TIMEOUT_MS)'],
  ])('refuses %o naming the key', (env, problem) => {
    const problems = envProblems(env)
    expect(
      problems.some((line) => line.startsWith(problem)),
      problems.join('\n'),
    ).toBe(true)
  })
})
