// The configured issuers: one verifier each, built once at start-up, chosen by the token's unverified `iss`.
import { ConfigError, problemsOf } from '../config/config-error.js'
import type { Config } from '../config/schema.js'
import type { SecretReaders } from '../config/secret-source.js'
import type { Logger } from '../observability/logger.js'
import { createIssuerVerifier, type IssuerVerifier } from './issuer-verifier.js'
import type { KeySource } from './key-source.js'
import { discoveredJwksUrl } from './oidc-discovery.js'
import { createRemoteKeySource } from './remote-key-source.js'
import { hmacKeySource, publicKeySource } from './static-keys.js'

export interface Issuers {
  /** The verifier for this `iss`, or undefined: an unknown issuer causes no key fetch at all. */
  get(issuer: string): IssuerVerifier | undefined
  /** True when every issuer has a key set. */
  isReady(): boolean
  /** Loads every remote key set once (and starts their refresh); resolves when each has tried. Never throws. */
  warmUp(): Promise<void>
  close(): void
}

export interface IssuerDeps {
  readers: SecretReaders
  logger: Logger
  /** Milliseconds since the epoch. */
  now: () => number
  /** Told about every JWKS fetch (metrics). */
  onJwksFetch?: (issuer: string, outcome: 'success' | 'failure') => void
}

export function createIssuers(config: Config['auth'], deps: IssuerDeps): Issuers {
  const verifiers = new Map<string, IssuerVerifier>()
  // Every issuer's key material is read before any problem is reported, so one start shows them all.
  const problems = config.issuers.flatMap((issuer, index) =>
    problemsOf(() => verifiers.set(issuer.issuer, createIssuerVerifier(issuer, keySourceFor(config, index, deps)))),
  )
  if (problems.length > 0) throw new ConfigError(problems)
  const all = [...verifiers.values()]
  return {
    get: (issuer) => verifiers.get(issuer),
    isReady: () => all.every((verifier) => verifier.keys.isReady()),
    warmUp: async () => {
      await Promise.all(all.map((verifier) => verifier.keys.warmUp()))
    },
    close: () => {
      for (const verifier of all) verifier.keys.close()
    },
  }
}

function keySourceFor(config: Config['auth'], index: number, deps: IssuerDeps): KeySource {
  const { readers, logger, now, onJwksFetch } = deps
  const issuer = config.issuers[index] as Config['auth']['issuers'][number]
  const where = `auth.issuers[${index}]`
  if (issuer.secret) return hmacKeySource(issuer, readers, where)
  if (issuer.publicKeys) return publicKeySource(issuer.publicKeys, readers, where)
  const { timeoutMs, maxBytes } = config.jwks
  return createRemoteKeySource({
    url:
      issuer.jwksUrl ??
      // No key source configured: the schema allowed it only for an http(s) issuer, which publishes its own.
      discoveredJwksUrl(issuer.issuer, {
        timeoutMs,
        maxBytes,
        refreshMs: config.jwks.refreshSeconds * 1000,
        now,
        onStale: (error) =>
          logger.warn(
            { issuer: issuer.issuer, reason: error.message },
            'OIDC discovery failed; keeping the last jwks_uri',
          ),
      }),
    timeoutMs,
    maxBytes,
    cooldownMs: config.jwks.cooldownSeconds * 1000,
    refreshMs: config.jwks.refreshSeconds * 1000,
    now,
    onError: (error) => {
      onJwksFetch?.(issuer.issuer, 'failure')
      logger.warn({ issuer: issuer.issuer, reason: error.message }, 'JWKS fetch failed; keeping the last good key set')
    },
    onLoaded: () => onJwksFetch?.(issuer.issuer, 'success'),
  })
}
