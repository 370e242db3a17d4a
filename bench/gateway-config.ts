// The gateway's configuration in the benchmark: everything on that a real deployment uses, logs at info to a file.
import type { ConfigInput } from '../src/config/schema.js'
import type { LocalIssuer } from '../src/dev/local-issuer.js'

export interface GatewayConfigOptions {
  port: number
  upstreamUrl: string
  /** The upstream key is read from a file, as in production. */
  keyFile: string
  issuer: LocalIssuer
}

export function gatewayConfig({ port, upstreamUrl, keyFile, issuer }: GatewayConfigOptions): ConfigInput {
  return {
    server: { host: '127.0.0.1', port },
    upstream: { url: upstreamUrl, keys: { default: { file: keyFile } } },
    auth: {
      // The default token cache (10,000 entries); the cold contender rotates through more tokens than it holds.
      issuers: [{ issuer: issuer.issuer, audience: issuer.audience, jwksUrl: issuer.jwksUrl, algorithms: ['ES256'] }],
    },
    // stdout goes to a file (see targets.ts): one access-log line per request.
    log: { level: 'info' },
  }
}
