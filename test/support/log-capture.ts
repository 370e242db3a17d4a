// An in-memory pino destination for tests: every line the gateway logs, parsed, plus a check that none holds a secret.
import { expect } from 'vitest'
import { createLogger, type Logger } from '../../src/observability/logger.js'

export interface LogCapture {
  logger: Logger
  /** Raw JSON lines, as they would reach stdout. */
  lines: string[]
  entries(): Array<Record<string, unknown>>
  /** The access-log line of the request that got the response with this X-Request-Id. */
  accessLine(requestId: string | null): Record<string, unknown> | undefined
  /** Fails naming the secret's label when any line contains any of the values. */
  expectNoSecrets(secrets: Record<string, string>): void
}

export function captureLogs(level: 'trace' | 'debug' | 'info' = 'trace'): LogCapture {
  const lines: string[] = []
  const logger = createLogger({ level }, { write: (line: string) => void lines.push(line) })
  return {
    logger,
    lines,
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    accessLine(requestId) {
      return this.entries().find((entry) => entry.requestId === requestId && entry.msg === 'request')
    },
    expectNoSecrets(secrets) {
      for (const [label, value] of Object.entries(secrets)) {
        expect(value.length, `${label} is too short to grep for`).toBeGreaterThan(5)
        // Counted, not printed: a failure must not copy the secret into the test output.
        const leaking = lines.filter((line) => line.includes(value)).length
        expect(leaking, `${label} appears in ${leaking} log line(s)`).toBe(0)
      }
    },
  }
}
