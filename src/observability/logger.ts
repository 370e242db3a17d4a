// createLogger: the pino instance; credentials are redacted even if a caller logs headers by mistake.
import { type DestinationStream, type Logger, pino } from 'pino'
import type { Config } from '../config/schema.js'

export type { Logger }

const REDACTED = [
  'req.headers.authorization',
  'req.headers["x-auth-token"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-auth-token"]',
  'headers.cookie',
]

export function createLogger(config: Pick<Config['log'], 'level'>, destination?: DestinationStream): Logger {
  return pino({ level: config.level, base: undefined, redact: { paths: REDACTED, remove: true } }, destination)
}
