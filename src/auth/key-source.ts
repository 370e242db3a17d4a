// KeySource: where an issuer's verification keys come from (remote JWKS, static public keys, HMAC secret), one interface.
import type { JSONWebKeySet, JWSHeaderParameters } from 'jose'
import * as errors from 'jose/errors'
import { createLocalJWKSet } from 'jose/jwks/local'

export interface KeySource {
  /**
   * The keys that may have signed a token with this header (several only when the key set is ambiguous). Throws jose's
   * JWKSNoMatchingKey for an unknown key, or GatewayError KEYS_UNAVAILABLE when no key set was ever loaded.
   */
  keysFor(header: JWSHeaderParameters): Promise<readonly CryptoKey[]>
  /** Changes whenever the key set changes: identities verified under an older revision are verified again. */
  readonly revision: number
  isReady(): boolean
  /** Loads keys now (remote sources) and starts the periodic refresh; never throws. */
  warmUp(): Promise<void>
  close(): void
}

export type KeyFinder = (header: JWSHeaderParameters) => Promise<readonly CryptoKey[]>

/** jose's local key set (kid, alg, kty, curve, `use`, `key_ops` matching; imports memoised per key and alg). */
export function keyFinder(jwks: JSONWebKeySet): KeyFinder {
  const find = createLocalJWKSet(jwks)
  return async (header) => {
    try {
      return [await find(header)]
    } catch (error) {
      if (!(error instanceof errors.JWKSMultipleMatchingKeys)) throw error
      const keys: CryptoKey[] = []
      for await (const key of error) keys.push(key)
      return keys
    }
  }
}

/** A key source that never changes: static public keys or an HMAC secret. */
export function fixedKeySource(keysFor: KeyFinder): KeySource {
  return { keysFor, revision: 0, isReady: () => true, warmUp: async () => {}, close: () => {} }
}
