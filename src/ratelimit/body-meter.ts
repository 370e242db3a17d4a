// The produce body on its way upstream: counts bytes (and records) as they stream, and cuts the upload past a limit.
import { type Readable, Transform, type TransformCallback, type Writable } from 'node:stream'
import type { GatewayError } from '../errors/gateway-error.js'
import { RecordCounter } from './record-counter.js'

export interface MeterLimits {
  maxBytes: number
  /** Infinity when records are not limited (then they are not counted either). */
  maxRecords: number
  /** The answer when a limit is passed: 413 for the body size, 429 for a quota. */
  refusal(over: 'bytes' | 'records'): GatewayError
  /** Called once with what went upstream: at the body's end (before the upstream answers), at a cut, or at an abort. */
  settle(bytes: number, records: number): void
}

/**
 * The proxy pipes the request through this instead of forwarding it directly (`ctx.bodyTransform`). Past a limit the
 * upstream request is destroyed with the refusal, so the upstream sees an aborted request, never a complete one, and the
 * proxy's error path answers the client; the rest of the upload is not read.
 */
export class BodyMeter extends Transform {
  private bytes = 0
  /** What went upstream: the chunk that passes a limit is held back whole. */
  private forwardedBytes = 0
  private forwardedRecords = 0
  private readonly records: RecordCounter | undefined
  private source: Readable | undefined
  private destination: Writable | undefined
  private refused = false
  private settled = false

  constructor(private readonly limits: MeterLimits) {
    super()
    this.records = Number.isFinite(limits.maxRecords) ? new RecordCounter() : undefined
    this.once('pipe', (source: Readable) => {
      this.source = source
    })
  }

  /** Reports the count once; later calls do nothing. The stage also calls it when the response closes (aborts). */
  settle(): void {
    if (this.settled) return
    this.settled = true
    this.limits.settle(this.forwardedBytes, this.forwardedRecords)
  }

  override pipe<T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T {
    this.destination = destination as unknown as Writable
    return super.pipe(destination, options)
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.refused) {
      callback()
      return
    }
    this.bytes += chunk.length
    const over =
      this.bytes > this.limits.maxBytes
        ? 'bytes'
        : (this.records?.feed(chunk) ?? 0) > this.limits.maxRecords
          ? 'records'
          : undefined
    if (!over) {
      this.forwardedBytes = this.bytes
      this.forwardedRecords = this.records?.count ?? 0
      callback(null, chunk)
      return
    }
    this.cut(over)
    callback()
  }

  override _flush(callback: TransformCallback): void {
    this.settle()
    callback()
  }

  private cut(over: 'bytes' | 'records'): void {
    this.refused = true
    this.settle()
    this.source?.unpipe(this)
    this.source?.pause()
    this.destination?.destroy(this.limits.refusal(over))
  }
}
