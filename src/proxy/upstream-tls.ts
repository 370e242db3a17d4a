// TLS settings towards the REST proxy (CA bundle, client certificate, minimum version), read once at start-up.
import type { ConnectionOptions } from 'node:tls'
import type { Config } from '../config/schema.js'

/** Certificates are always verified; a CA bundle replaces the public roots (a private CA is the usual reason to set one). */
export function upstreamTlsOptions(
  tls: Config['upstream']['tls'],
  readFile: (path: string) => string,
): ConnectionOptions {
  if (!tls) return {}
  const read = (path: string | undefined, what: string) => {
    if (path === undefined) return undefined
    try {
      return readFile(path)
    } catch (error) {
      throw new Error(
        `config error: upstream.tls.${what}: cannot read ${path} (${(error as NodeJS.ErrnoException).code})`,
      )
    }
  }
  return {
    ca: read(tls.caFile, 'caFile'),
    cert: read(tls.certFile, 'certFile'),
    key: read(tls.keyFile, 'keyFile'),
    minVersion: tls.minVersion,
    rejectUnauthorized: true,
  }
}
