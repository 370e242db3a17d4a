// Per-stage timing for the benchmark's stage-cost table: a separate mode, wired in only when asked (never on by default).
import type { Stage } from '../request-context.js'

export interface StageTimes {
  /** Nanoseconds and calls per stage name, since the last reset. */
  readonly totals: Map<string, { nanos: bigint; calls: number }>
  add(name: string, nanos: bigint): void
  reset(): void
}

export function createStageTimes(): StageTimes {
  const totals = new Map<string, { nanos: bigint; calls: number }>()
  return {
    totals,
    add(name, nanos) {
      const entry = totals.get(name)
      if (entry) {
        entry.nanos += nanos
        entry.calls++
      } else totals.set(name, { nanos, calls: 1 })
    },
    reset: () => totals.clear(),
  }
}

/**
 * The stage, timed from its call until it returns or, when it returns a promise, until that settles (so an async
 * stage's time includes what it waited for: a signature check on the thread pool, a Redis round trip).
 */
export function timed<T extends (...args: never[]) => unknown>(name: string, work: T, times: StageTimes): T {
  return function timedStage(...args: Parameters<T>) {
    const start = process.hrtime.bigint()
    const result = work(...args)
    if (result instanceof Promise) {
      return result.finally(() => times.add(name, process.hrtime.bigint() - start))
    }
    times.add(name, process.hrtime.bigint() - start)
    return result
  } as T
}

/** A stage's name for the table: its function name (every stage function is named), else its position. */
export function stageName(stage: Stage, index: number): string {
  return stage.name || `stage ${index + 1}`
}
