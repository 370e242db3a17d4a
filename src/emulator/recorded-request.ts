// One request as the emulator saw it, in its own file so the emulator and its recorder share it without a circle.
import type { IncomingHttpHeaders } from 'node:http'

export interface RecordedRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  bodyLength: number
  bodySha256: string
  /** Undefined when the body is over recordBodyLimit. */
  body: Buffer | undefined
}
