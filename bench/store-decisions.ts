// Micro-benchmark of the memory bucket store: how long one rate-limit decision takes with 10,000 callers. Run it on its
// own with `npx tsx bench/store-decisions.ts`; it prints the figure and asserts nothing (a test never times the machine).
import { createMemoryState } from '../src/state/memory-state.js'

const CALLERS = 10_000
const DECISIONS = 200_000

const state = createMemoryState({ maxKeys: 100_000 })
const store = state.buckets
const keys = Array.from({ length: CALLERS }, (_, i) => [`{caller-${i}}:produce`])
const specs = [{ limit: 100, windowMs: 60_000 }]
const cost = [1]
const started = process.hrtime.bigint()
for (let i = 0; i < DECISIONS; i++) store.consume(keys[i % CALLERS] as string[], specs, cost, 1_000 + i)
const perDecisionUs = Number(process.hrtime.bigint() - started) / 1_000 / DECISIONS
console.log(`memory store: ${perDecisionUs.toFixed(3)} µs per decision (${DECISIONS} decisions, ${CALLERS} callers)`)
await state.close()
