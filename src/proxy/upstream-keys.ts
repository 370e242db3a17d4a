// The upstream API keys the gateway injects, resolved from their sources once at start-up.
import type { Config } from '../config/schema.js'
import { readSecret, type SecretReaders } from '../config/secret-source.js'

export interface UpstreamKey {
  name: string
  value: string
}

export interface UpstreamKeys {
  /** The key to inject for a request. */
  current(): UpstreamKey
}

export function createUpstreamKeys(config: Config['upstream']['keys'], readers: SecretReaders): UpstreamKeys {
  const keys = new Map<string, UpstreamKey>()
  for (const [name, source] of Object.entries(config)) {
    try {
      keys.set(name, { name, value: readSecret(source, readers) })
    } catch (error) {
      throw new Error(`config error: upstream.keys.${name}: ${(error as Error).message}`)
    }
  }
  const fallback = keys.get('default') as UpstreamKey
  return { current: () => fallback }
}
