// Long-poll primitive: resolves on the next append to a watched topic, at a deadline, or when aborted.
import type { TopicStore } from './topic-store.js'

export type WakeReason = 'append' | 'timeout' | 'aborted'

/** Waits at most `ms` for an append that `isRelevant` accepts; never rejects. */
export function waitForAppend(
  store: TopicStore,
  isRelevant: (topic: string) => boolean,
  ms: number,
  signal: AbortSignal,
): Promise<WakeReason> {
  if (signal.aborted) return Promise.resolve('aborted')
  if (ms <= 0) return Promise.resolve('timeout')
  return new Promise((resolve) => {
    const finish = (reason: WakeReason) => {
      unsubscribe()
      clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
      resolve(reason)
    }
    const onAbort = () => finish('aborted')
    const unsubscribe = store.onAppend((topic) => {
      if (isRelevant(topic)) finish('append')
    })
    const timer = setTimeout(() => finish('timeout'), ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}
