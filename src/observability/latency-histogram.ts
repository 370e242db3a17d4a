// A latency histogram as plain numbers: one array increment per observation, read by the registry when scraped.

/** Seconds; consume long polls land in the upper buckets, produce and metadata in the lower ones. */
export const LATENCY_BUCKETS: readonly number[] = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
]

export class LatencyHistogram {
  /** Observations per bucket (not cumulative), the last slot for those above every bound. */
  readonly counts = new Float64Array(LATENCY_BUCKETS.length + 1)
  sum = 0
  count = 0

  observe(seconds: number): void {
    let bucket = 0
    while (bucket < LATENCY_BUCKETS.length && seconds > (LATENCY_BUCKETS[bucket] as number)) bucket++
    this.counts[bucket] = (this.counts[bucket] as number) + 1
    this.sum += seconds
    this.count++
  }
}
