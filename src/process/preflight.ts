// Pre-flight: before anything listens, read every file and secret the configuration points to (upstream keys, issuer
// keys and secrets, TLS material, the audit file's place) and report all problems as one ConfigError. Nothing is kept:
// the gateway reads them again when it starts.
import { accessSync, constants, existsSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { createIssuers } from '../auth/issuers.js'
import { ConfigError, problemsOf } from '../config/config-error.js'
import { keyName } from '../config/describe-issue.js'
import type { Config } from '../config/schema.js'
import type { SecretReaders } from '../config/secret-source.js'
import { createLogger } from '../observability/logger.js'
import { createUpstreamKeys } from '../proxy/upstream-keys.js'
import { upstreamTlsOptions } from '../proxy/upstream-tls.js'
import { loadServerTls } from '../server/server-tls.js'

export function preflight(config: Config, readers: SecretReaders): void {
  const logger = createLogger({ level: 'silent' })
  const serverTls = config.server.tls
  const problems = [
    // Reload interval 0: no file watchers are started for a look.
    ...problemsOf(() => createUpstreamKeys({ ...config.upstream, keyReloadIntervalMs: 0 }, readers, logger).close()),
    ...problemsOf(() => createIssuers(config.auth, { readers, logger, now: Date.now }).close()),
    ...problemsOf(() => upstreamTlsOptions(config.upstream.tls, readers.readFile)),
    ...(serverTls ? problemsOf(() => loadServerTls(serverTls)) : []),
    ...auditFileProblems(config.audit),
  ]
  if (problems.length > 0) throw new ConfigError(problems)
}

/** The audit file is appended to (missing folders are created): the file, or its nearest existing folder, must be
 * writable. */
function auditFileProblems(audit: Config['audit']): string[] {
  if (audit.output !== 'file' || audit.file === undefined) return []
  let path = audit.file
  while (!existsSync(path) && dirname(path) !== path) path = dirname(path)
  // The file itself must not be a folder; anything above it must be one.
  const wrongKind = statSync(path).isDirectory() === (path === audit.file)
  try {
    if (wrongKind) throw Object.assign(new Error(), { code: path === audit.file ? 'EISDIR' : 'ENOTDIR' })
    accessSync(path, constants.W_OK)
    return []
  } catch (error) {
    return [`${keyName(['audit', 'file'])}: cannot write ${audit.file} (${(error as NodeJS.ErrnoException).code})`]
  }
}
