// The HTTPS listener's certificate and key: read from PEM files, and re-read when they change (renewal, no restart).
import { readFileSync, unwatchFile, watchFile } from 'node:fs'
import type https from 'node:https'
import { createSecureContext, type SecureContextOptions } from 'node:tls'
import { ConfigError, readConfiguredFile } from '../config/config-error.js'
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
    cert: readFileSync(config.certFile, 'utf8'),
    key: readFileSync(config.keyFile, 'utf8'),
    minVersion: config.minVersion,
  })
  return {
    options: readAtStart(config),
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

/** Both files read (every unreadable one reported), and checked to be a certificate with its own private key. */
function readAtStart(config: ServerTlsConfig): SecureContextOptions {
  const problems: string[] = []
  const readPem = (key: 'certFile' | 'keyFile') =>
    readConfiguredFile(config[key], `server.tls.${key}`, (path) => readFileSync(path, 'utf8'), problems)
  const options = { cert: readPem('certFile'), key: readPem('keyFile'), minVersion: config.minVersion }
  if (problems.length === 0) {
    try {
      createSecureContext(options)
    } catch (error) {
      problems.push(`server.tls: ${config.certFile} and ${config.keyFile} are not a usable pair: ${tlsReason(error)}`)
    }
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return options
}

/** OpenSSL's reason without its error-queue prefix ("error:05800074:x509 certificate routines::"). */
function tlsReason(error: unknown): string {
  return String((error as Error).message).replace(/^error:[0-9A-F]+:[^:]*::/, '')
}
