// Event-loop guard: measures how long this process's event loop was blocked while some work ran (the gateway runs
// in-process in these tests, so a stall in any of its stages shows here).
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { setTimeout as nextTimers } from 'node:timers/promises'

/**
 * The bound hostile input must stay under. A linear algorithm on the inputs used here needs a few milliseconds; the
 * non-linear ones this guards against (recursive walks, backtracking regexes) need hundreds to thousands.
 */
export const LOOP_DELAY_BOUND_MS = 50
/** The monitor's sampling interval: its timer must fire often to see short stalls at all. */
const RESOLUTION_MS = 5

export interface LoopDelay<T> {
  result: T
  /** The longest single stall seen while `work` ran, in milliseconds (p100). */
  maxMs: number
}

/** Runs `work` with an event-loop delay monitor on, and reports the longest stall. */
export async function measureLoopDelay<T>(work: () => Promise<T>): Promise<LoopDelay<T>> {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
  histogram.enable()
  try {
    // The monitor measures from its first tick, and records a stall when its timer next fires: let it tick before
    // the work, and once more after it, so stalls at either end are counted. Part of the measurement, not a wait.
    await nextTimers(RESOLUTION_MS * 2)
    const result = await work()
    await nextTimers(RESOLUTION_MS * 2)
    return { result, maxMs: histogram.max / 1e6 }
  } finally {
    histogram.disable()
  }
}

/**
 * As measureLoopDelay, and throws when the longest stall reached `boundMs` on every one of `attempts` runs: the work
 * blocks the loop. A busy shared machine can pause the whole process once (the scheduler, a garbage collection), but
 * a non-linear algorithm stalls on every run, so the verdict is a property of the code, not of the machine's load.
 * `work` must be safe to repeat.
 */
export async function withinLoopDelay<T>(
  work: () => Promise<T>,
  { boundMs = LOOP_DELAY_BOUND_MS, attempts = 3 } = {},
): Promise<T> {
  const seen: number[] = []
  for (let attempt = 0; attempt < attempts; attempt++) {
    const { result, maxMs } = await measureLoopDelay(work)
    if (maxMs < boundMs) return result
    seen.push(maxMs)
  }
  const stalls = seen.map((ms) => `${ms.toFixed(1)} ms`).join(', ')
  throw new Error(`the event loop stalled on every run (${stalls}; bound ${boundMs} ms) while the work ran`)
}
