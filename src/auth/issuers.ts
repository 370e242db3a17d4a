// One verifier per configured issuer, built once at start-up and chosen by the token's `iss`.
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose'
import type { IssuerConfig } from '../config/schema.js'

export interface IssuerVerifier {
  readonly issuer: string
  readonly config: IssuerConfig
  /** Verifies signature and claims; throws jose errors. */
  verify(token: string): Promise<JWTPayload>
  /** True once a key set has been loaded (readiness). */
  isReady(): boolean
  /** Starts loading keys in the background; never throws. */
  warmUp(): Promise<void>
}

export function createIssuerVerifier(config: IssuerConfig): IssuerVerifier {
  const jwks = createRemoteJWKSet(new URL(config.jwksUrl), { timeoutDuration: 5_000, cooldownDuration: 30_000 })
  let ready = false
  const options = {
    issuer: config.issuer,
    audience: config.audience,
    algorithms: config.algorithms,
    clockTolerance: config.clockToleranceSeconds,
    requiredClaims: ['exp', config.subjectClaim],
  }
  return {
    issuer: config.issuer,
    config,
    async verify(token) {
      const { payload } = await jwtVerify(token, jwks, options)
      ready = true
      return payload
    },
    isReady: () => ready || jwks.fresh,
    async warmUp() {
      try {
        await jwks.reload()
        ready = true
      } catch {
        // Not ready yet; readiness reports it and verification retries on demand.
      }
    },
  }
}

export function createIssuers(configs: readonly IssuerConfig[]): ReadonlyMap<string, IssuerVerifier> {
  return new Map(configs.map((config) => [config.issuer, createIssuerVerifier(config)]))
}
