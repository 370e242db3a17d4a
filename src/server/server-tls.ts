// The HTTPS listener's certificate and key: read from PEM files, and re-read when they change (renewal, no restart).
import { readFileSync, unwatchFile, watchFile } from 'node:fs'
import type https from 'node:https'
import type { SecureContextOptions } from 'node:tls'
import type { ServerConfig } from '../config/schema.js'
import type { Logger } from '../observability/logger.js'

export type ServerTlsConfig = NonNullable<ServerConfig['tls']>

export interface ServerTls {
  options: SecureContextOptions
  /** Watches the files and swaps the server's secure context when they change; returns the stop function. */
  watch(server: https.Server, logger?: Logger): () => void
}

export function loadServerTls(config: ServerTlsConfig): ServerTls {
  const read = (): SecureContextOptions => ({
    cert: readPem(config.certFile, 'certFile'),
    key: readPem(config.keyFile, 'keyFile'),
    minVersion: config.minVersion,
  })
  return {
    options: read(),
    watch(server, logger) {
      const reload = () => {
        try {
          server.setSecureContext(read())
          logger?.info({ certFile: config.certFile }, 'TLS certificate reloaded')
        } catch (error) {
          // Mid-rotation the pair may not match yet: keep serving the old one; the next change retries.
          logger?.warn({ certFile: config.certFile, code: (error as NodeJS.ErrnoException).code }, 'TLS reload failed')
        }
      }
      const files = [config.certFile, config.keyFile]
      const options = { interval: config.reloadIntervalMs, persistent: false }
      for (const file of files) watchFile(file, options, reload)
      return () => {
        for (const file of files) unwatchFile(file, reload)
      }
    },
  }
}

function readPem(path: string, key: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    throw new Error(`config error: server.tls.${key}: cannot read ${path} (${(error as NodeJS.ErrnoException).code})`)
  }
}
