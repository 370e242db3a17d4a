// Upstream failures → catalogue code and a reason naming the failure class (never hosts, addresses or library text).
import { describe, expect, it } from 'vitest'
import { CONNECT_TIMEOUT, RESPONSE_TIMEOUT } from '../../../src/errors/upstream-failure-reason.js'
import { upstreamFailure } from '../../../src/proxy/upstream-failure.js'

const failure = (code: string) =>
  upstreamFailure(Object.assign(new Error(`connect ${code} 10.1.2.3:8082 secret-host.internal`), { code }))

describe('upstreamFailure', () => {
  it.each([
    ['ECONNREFUSED', 'UPSTREAM_UNAVAILABLE', 502, 'connection refused'],
    ['ECONNRESET', 'UPSTREAM_UNAVAILABLE', 502, 'connection reset'],
    ['EPIPE', 'UPSTREAM_UNAVAILABLE', 502, 'connection reset'],
    ['ENOTFOUND', 'UPSTREAM_UNAVAILABLE', 502, 'host not found'],
    ['EHOSTUNREACH', 'UPSTREAM_UNAVAILABLE', 502, 'host unreachable'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UPSTREAM_UNAVAILABLE', 502, 'TLS certificate not trusted'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'UPSTREAM_UNAVAILABLE', 502, 'TLS certificate not trusted'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'UPSTREAM_UNAVAILABLE', 502, 'TLS certificate not trusted'],
    ['CERT_HAS_EXPIRED', 'UPSTREAM_UNAVAILABLE', 502, 'TLS certificate expired'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'UPSTREAM_UNAVAILABLE', 502, 'TLS certificate does not match the host name'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'UPSTREAM_UNAVAILABLE', 502, 'TLS handshake failed'],
    ['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'UPSTREAM_UNAVAILABLE', 502, 'TLS handshake failed'],
    ['EPROTO', 'UPSTREAM_UNAVAILABLE', 502, 'TLS handshake failed'],
    ['SOMETHING_NEW', 'UPSTREAM_UNAVAILABLE', 502, 'connection failed'],
    [RESPONSE_TIMEOUT, 'UPSTREAM_TIMEOUT', 504, 'no answer within upstream.timeoutMs'],
    [CONNECT_TIMEOUT, 'UPSTREAM_TIMEOUT', 504, 'no connection within upstream.connectTimeoutMs'],
  ])('%s → %s %i "%s"', (code, gatewayCode, status, reason) => {
    const error = failure(code)
    expect([error.code, error.status, error.reason]).toEqual([gatewayCode, status, reason])
    expect(error.message).toMatch(new RegExp(`: ${reason}$`))
    expect(error.message).not.toMatch(/10\.1\.2\.3|secret-host|8082/)
  })

  it('keeps the original error as the cause, for the error log only', () => {
    expect((failure('ECONNRESET').cause as Error).message).toContain('secret-host')
  })
})
