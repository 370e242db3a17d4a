// GatewayError: the one error type; its status and error_code come from the catalogue, never from the call site.
import { catalogue, type ErrorCode } from './catalogue.js'

export interface GatewayErrorOptions {
  /** Replaces the catalogue message; must never contain a secret or a raw token. */
  message?: string
  headers?: Readonly<Record<string, string>>
  cause?: unknown
  /** A short fixed phrase saying why (e.g. `expired`), for logs and metric labels: never request data. */
  reason?: string
}

export class GatewayError extends Error {
  readonly status: number
  readonly errorCode: number
  readonly headers: Readonly<Record<string, string>>
  readonly reason: string | undefined
  /** Answered exactly as the upstream would, without the gateway's marker (see the catalogue). */
  readonly disguised: boolean

  constructor(
    readonly code: ErrorCode,
    options: GatewayErrorOptions = {},
  ) {
    const entry = catalogue[code]
    super(options.message ?? entry.message, { cause: options.cause })
    this.name = 'GatewayError'
    this.status = entry.status
    this.errorCode = entry.errorCode
    this.headers = options.headers ?? {}
    this.reason = options.reason
    this.disguised = 'disguised' in entry
  }
}
