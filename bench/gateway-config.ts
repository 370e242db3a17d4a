// The gateway's configuration in the benchmark: everything on that a real deployment uses, logs at info to files.
import { join } from 'node:path'
import type { ConfigInput } from '../src/config/schema.js'
import type { LocalIssuer } from '../src/dev/local-issuer.js'

export interface GatewayConfigOptions {
  port: number
  upstreamUrl: string
  issuer: LocalIssuer
  /** Holds the upstream key file and the audit log. */
  workDir: string
}

export const BENCH_SUBJECT = 'bench-user'
/** The scope every soak user's token carries. */
export const SOAK_SCOPE = 'bench-soak'

export function gatewayConfig({ port, upstreamUrl, issuer, workDir }: GatewayConfigOptions): ConfigInput {
  return {
    server: { host: '127.0.0.1', port },
    // From a file, as in production; the file is watched for rotation (default interval).
    upstream: { url: upstreamUrl, keys: { default: { file: join(workDir, 'upstream-key') } } },
    auth: {
      // The default token cache (10,000 entries); the cold contender rotates through more tokens than it holds.
      issuers: [{ issuer: issuer.issuer, audience: issuer.audience, jwksUrl: issuer.jwksUrl, algorithms: ['ES256'] }],
    },
    // Topic permissions on, with a few rules to walk, like a shared deployment.
    authz: {
      enabled: true,
      rules: [
        { tenant: 'team-a', produce: ['{tenant}.*'], consume: ['{tenant}.*'] },
        { scope: 'kafka-auditor', consume: ['*'] },
        { subject: BENCH_SUBJECT, produce: ['bench', 'bench.*'], consume: ['bench', 'bench.*'] },
        // The soak's many users.
        { scope: SOAK_SCOPE, produce: ['bench'], consume: ['bench'] },
      ],
    },
    audit: { output: 'file', file: join(workDir, 'audit.log') },
    // Limits on and checked on every request, as deployed; the load-test caller's budget is set above what it sends.
    rateLimit: {
      overrides: [{ subject: BENCH_SUBJECT, requests: 100_000_000, consume: { maxConcurrent: 100_000 } }],
    },
    // stdout goes to a file (see targets.ts): one access-log line per request.
    log: { level: 'info' },
  }
}
