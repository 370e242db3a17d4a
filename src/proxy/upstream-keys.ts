// The named upstream API keys: chosen per caller (tenant/issuer mapping), re-read on file change or reload() without a restart.
import { unwatchFile, watchFile } from 'node:fs'
import type { Identity } from '../auth/identity.js'
import { ConfigError } from '../config/config-error.js'
import type { Config, SecretSource } from '../config/schema.js'
import { readSecret, type SecretReaders } from '../config/secret-source.js'
import type { Logger } from '../observability/logger.js'

export interface UpstreamKey {
  readonly name: string
  readonly value: string
}

export interface UpstreamKeys {
  /** The key to inject for this caller: most specific mapping (issuer + tenant, tenant, issuer), else `default`. */
  forIdentity(identity: Identity | undefined): UpstreamKey
  /** Re-reads every key from its source (SIGHUP); a key whose source is bad keeps its previous value. */
  reload(): void
  /** Stops watching key files. */
  close(): void
}

type UpstreamConfig = Config['upstream']

/** One key, one line, usable as a header value: no spaces or control characters (a multi-line file is refused). */
const VALID_KEY = /^[\x21-\x7e]+$/

export function createUpstreamKeys(config: UpstreamConfig, readers: SecretReaders, logger: Logger): UpstreamKeys {
  const keys = new Map<string, UpstreamKey>()
  const problems: string[] = []
  for (const [name, source] of Object.entries(config.keys)) {
    try {
      keys.set(name, { name, value: readKey(source, readers) })
    } catch (error) {
      problems.push(`upstream.keys.${name}: ${(error as Error).message}`)
    }
  }
  if (problems.length > 0) throw new ConfigError(problems)
  const nameFor = compileMapping(config.keyMapping)

  function reloadKey(name: string, source: SecretSource): void {
    const previous = keys.get(name) as UpstreamKey
    let value: string
    try {
      value = readKey(source, readers)
    } catch (error) {
      // The reason names the source (file path or variable), never the key.
      logger.warn(
        { key: name, reason: (error as Error).message },
        'upstream key not reloaded; keeping the previous key',
      )
      return
    }
    if (value === previous.value) return
    // A new object, so a request that already picked the old key keeps a consistent one.
    keys.set(name, { name, value })
    logger.info({ key: name }, 'upstream key reloaded')
  }

  const watched = watchKeyFiles(config, reloadKey)
  return {
    forIdentity: (identity) => keys.get(nameFor(identity)) as UpstreamKey,
    reload() {
      for (const [name, source] of Object.entries(config.keys)) reloadKey(name, source)
    },
    close() {
      for (const stop of watched) stop()
    },
  }
}

function readKey(source: SecretSource, readers: SecretReaders): string {
  const value = readSecret(source, readers)
  if (!VALID_KEY.test(value)) throw new Error(`${describe(source)} must hold one key on one line, without spaces`)
  return value
}

function describe(source: SecretSource): string {
  if ('file' in source) return `file ${source.file}`
  if ('env' in source) return `environment variable ${source.env}`
  return 'the value'
}

/**
 * Polls each key file's stat (fs.watchFile): unlike fs.watch it follows the path, so an atomic rename-replace or a
 * Kubernetes secret volume's symlink swap is seen as a change of the file, not the loss of a watched inode.
 */
function watchKeyFiles(config: UpstreamConfig, reloadKey: (name: string, source: SecretSource) => void) {
  const interval = config.keyReloadIntervalMs
  if (interval === 0) return []
  return Object.entries(config.keys).flatMap(([name, source]) => {
    if (!('file' in source)) return []
    const listener = () => reloadKey(name, source)
    watchFile(source.file, { interval, persistent: false }, listener)
    return [() => unwatchFile(source.file, listener)]
  })
}

/** Mapping rules → one lookup function; three Map lookups per request at most. */
function compileMapping(rules: UpstreamConfig['keyMapping']): (identity: Identity | undefined) => string {
  const byBoth = new Map<string, string>()
  const byTenant = new Map<string, string>()
  const byIssuer = new Map<string, string>()
  for (const rule of rules) {
    if (rule.issuer !== undefined && rule.tenant !== undefined) byBoth.set(`${rule.issuer}\n${rule.tenant}`, rule.key)
    else if (rule.tenant !== undefined) byTenant.set(rule.tenant, rule.key)
    else if (rule.issuer !== undefined) byIssuer.set(rule.issuer, rule.key)
  }
  if (rules.length === 0) return () => 'default'
  return (identity) => {
    if (!identity) return 'default'
    const { issuer, tenant } = identity
    return (
      (tenant !== undefined && (byBoth.get(`${issuer}\n${tenant}`) ?? byTenant.get(tenant))) ||
      byIssuer.get(issuer) ||
      'default'
    )
  }
}
