// Why an upstream connection or request failed, as a fixed phrase: shared by the proxy (the refusal it answers) and the
// readiness probe (the reason /readyz shows), so both name a failure class the same way.

/** Error codes our own timers give to the upstream request they destroy. */
export const RESPONSE_TIMEOUT = 'GATEWAY_UPSTREAM_TIMEOUT'
export const CONNECT_TIMEOUT = 'GATEWAY_UPSTREAM_CONNECT_TIMEOUT'

const NOT_TRUSTED = 'TLS certificate not trusted'

/** Node/OpenSSL error code → reason. Reasons are fixed phrases: no host names, addresses or library messages. */
const REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'host unreachable',
  ETIMEDOUT: 'connection timed out',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: NOT_TRUSTED,
  UNABLE_TO_GET_ISSUER_CERT: NOT_TRUSTED,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: NOT_TRUSTED,
  SELF_SIGNED_CERT_IN_CHAIN: NOT_TRUSTED,
  DEPTH_ZERO_SELF_SIGNED_CERT: NOT_TRUSTED,
  CERT_UNTRUSTED: NOT_TRUSTED,
  CERT_SIGNATURE_FAILURE: NOT_TRUSTED,
  CERT_REJECTED: NOT_TRUSTED,
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  CERT_NOT_YET_VALID: 'TLS certificate not yet valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host name',
  EPROTO: 'TLS handshake failed',
  [RESPONSE_TIMEOUT]: 'no answer within upstream.timeoutMs',
  [CONNECT_TIMEOUT]: 'no connection within upstream.connectTimeoutMs',
}

/** A short reason for an upstream connection or request failure. */
export function describeUpstreamFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? ''
  return REASONS[code] ?? (code.startsWith('ERR_SSL_') ? 'TLS handshake failed' : 'connection failed')
}
