// X-Auth-Token check against the accepted API keys, in constant time per key (sha256 digests, timingSafeEqual).
import { createHash, timingSafeEqual } from 'node:crypto'

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest()

export class ApiKeyCheck {
  private digests: Buffer[] = []

  constructor(keys: string[]) {
    this.setKeys(keys)
  }

  /** Empty strings are never accepted keys. */
  setKeys(keys: string[]): void {
    this.digests = keys.filter((key) => key !== '').map(digest)
  }

  accepts(token: string | string[] | undefined): boolean {
    if (typeof token !== 'string' || token === '') return false
    const candidate = digest(token)
    let accepted = false
    for (const known of this.digests) accepted = timingSafeEqual(known, candidate) || accepted
    return accepted
  }
}
