// A listener that cannot start (port in use, no permission, address not on this machine), said in one line that
// names the setting to change, instead of a stack trace.
import { keyName } from '../config/describe-issue.js'
import type { ServerConfig } from '../config/schema.js'

const REASONS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'is already in use by another process',
  EACCES: 'needs privileges this process does not have (use a port above 1023)',
  EADDRNOTAVAIL: 'is not an address of this machine',
}

export function listenProblem(error: unknown, server: ServerConfig): string | undefined {
  const { code, address, port } = (error ?? {}) as { code?: string; address?: string; port?: number }
  const reason = code ? REASONS[code] : undefined
  if (!reason) return undefined
  const setting =
    code === 'EADDRNOTAVAIL' ? 'host' : port !== undefined && port === server.adminPort ? 'adminPort' : 'port'
  return `cannot listen on ${address ?? server.host}:${port ?? server.port}: it ${reason}; change ${keyName(['server', setting])}`
}
