// Whose budget a request spends: a short hash of issuer + subject (or issuer + tenant), computed once per identity.
import { createHash } from 'node:crypto'
import type { Identity } from '../auth/identity.js'

export type PartitionOf = (identity: Identity) => string

/**
 * Hashed, so store keys have a bounded length and Redis never holds user names or e-mail addresses. Subjects are only
 * unique per issuer, and so are tenant names (another identity provider may issue the same tenant claim), so the
 * issuer is part of every key. The token cache hands out the same Identity object for a repeated token, so the WeakMap
 * makes this a lookup on the hot path.
 */
export function createPartitionOf(keyBy: 'subject' | 'tenant'): PartitionOf {
  const keys = new WeakMap<Identity, string>()
  return function partitionOf(identity) {
    let key = keys.get(identity)
    if (key === undefined) {
      const source =
        keyBy === 'tenant' && identity.tenant !== undefined
          ? `tenant\n${identity.issuer}\n${identity.tenant}`
          : `subject\n${identity.issuer}\n${identity.subject}`
      key = createHash('sha256').update(source).digest('base64url').slice(0, 22)
      keys.set(identity, key)
    }
    return key
  }
}
