// TLS settings towards the REST proxy (CA bundle, client certificate, minimum version), read once at start-up.
import type { ConnectionOptions } from 'node:tls'
import { ConfigError, readConfiguredFile } from '../config/config-error.js'
import type { Config } from '../config/schema.js'

/** Certificates are always verified; a CA bundle replaces the public roots (a private CA is the usual reason to set one). */
export function upstreamTlsOptions(
  tls: Config['upstream']['tls'],
  readFile: (path: string) => string,
): ConnectionOptions {
  if (!tls) return {}
  const problems: string[] = []
  const read = (path: string | undefined, what: string) =>
    path === undefined ? undefined : readConfiguredFile(path, `upstream.tls.${what}`, readFile, problems)
  const options = {
    ca: read(tls.caFile, 'caFile'),
    cert: read(tls.certFile, 'certFile'),
    key: read(tls.keyFile, 'keyFile'),
    minVersion: tls.minVersion,
    rejectUnauthorized: true,
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return options
}
