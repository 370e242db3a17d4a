// SharedState: the bucket store and the record store of one backend (memory for one process, Redis for a fleet).
import type { BucketStore } from './bucket-store.js'
import type { RecordStore } from './record-store.js'

export interface ConnectionListener {
  /** The backend cannot be reached (Redis down, refused); it reconnects by itself. */
  onError(error: Error): void
  /** Connected (again): ends an outage even before the next request. */
  onReady(): void
}

export interface SharedState {
  buckets: BucketStore
  records: RecordStore
  /** False while the backend cannot answer (Redis disconnected); memory is always available. */
  isAvailable(): boolean
  /** Connection errors and recoveries (Redis only; memory never calls it). */
  watch(listener: ConnectionListener): void
  /** Resolves once the backend has tried to connect (at most its connect timeout). */
  warmUp(): Promise<void>
  close(): Promise<void>
}
