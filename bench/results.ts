// The benchmark's numbers: per-round measurements in, medians, same-round ratios and the performance goals out.
import type { LoadWorkloadName, MemoryWorkloadName } from './workloads.js'

export type ContenderName = 'direct' | 'bare-node' | 'nginx' | 'express' | 'gateway' | 'gateway-cold'

export interface LoadRound {
  workload: LoadWorkloadName
  contender: ContenderName
  round: number
  requestsPerSecond: number
  p50: number
  p99: number
  /** CPU time the target process used per answered request, µs (from /proc; clock ticks of 10 ms). */
  cpuPerRequest: number
  rssBefore: number
  rssAfter: number
}

export interface MemoryRound {
  workload: MemoryWorkloadName
  contender: ContenderName
  round: number
  before: number
  peak: number
  after: number
}

export interface LoadSummary extends Omit<LoadRound, 'round'> {
  rounds: number
}

export interface MemorySummary extends Omit<MemoryRound, 'round'> {
  rounds: number
}

export interface Ratio {
  workload: LoadWorkloadName
  contender: 'gateway' | 'gateway-cold'
  /** Gateway req/s divided by the other's, median over rounds of the ratio within each round. */
  vsDirect: number
  vsBare: number
  vsNginx: number
  /** Against Express 5 + http-proxy-middleware + jose with a token cache: what a user would write instead. */
  vsExpress: number
  /** Gateway p99 minus bare-node p99, ms (median over rounds). */
  p99AddedOverBare: number
  /** Gateway p99 divided by bare-node's (median over rounds): latency under saturating load. */
  p99VsBare: number
  /** Gateway CPU per request divided by bare-node's: the cost ratio, steadier than req/s on a busy machine. */
  cpuVsBare: number
}

export interface Goal {
  goal: string
  measured: string
  met: boolean
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

function groups<T extends { workload: string; contender: string }>(rounds: readonly T[]): T[][] {
  const byKey = new Map<string, T[]>()
  for (const round of rounds) {
    const key = `${round.workload}/${round.contender}`
    byKey.set(key, [...(byKey.get(key) ?? []), round])
  }
  return [...byKey.values()]
}

export function summarizeLoad(rounds: readonly LoadRound[]): LoadSummary[] {
  return groups(rounds).map((cell) => {
    const first = cell[0] as LoadRound
    const of = (pick: (round: LoadRound) => number) => median(cell.map(pick))
    return {
      workload: first.workload,
      contender: first.contender,
      rounds: cell.length,
      requestsPerSecond: of((r) => r.requestsPerSecond),
      p50: of((r) => r.p50),
      p99: of((r) => r.p99),
      cpuPerRequest: of((r) => r.cpuPerRequest),
      rssBefore: of((r) => r.rssBefore),
      rssAfter: of((r) => r.rssAfter),
    }
  })
}

export function summarizeMemory(rounds: readonly MemoryRound[]): MemorySummary[] {
  return groups(rounds).map((cell) => {
    const first = cell[0] as MemoryRound
    const of = (pick: (round: MemoryRound) => number) => median(cell.map(pick))
    return {
      workload: first.workload,
      contender: first.contender,
      rounds: cell.length,
      before: of((r) => r.before),
      peak: of((r) => r.peak),
      after: of((r) => r.after),
    }
  })
}

export function ratios(rounds: readonly LoadRound[]): Ratio[] {
  const find = (workload: string, contender: string, round: number) =>
    rounds.find((r) => r.workload === workload && r.contender === contender && r.round === round)
  const result: Ratio[] = []
  for (const workload of new Set(rounds.map((r) => r.workload))) {
    for (const contender of ['gateway', 'gateway-cold'] as const) {
      const mine = rounds.filter((r) => r.workload === workload && r.contender === contender)
      if (mine.length === 0) continue
      const per = (other: ContenderName, value: (g: LoadRound, o: LoadRound) => number) =>
        median(
          mine.flatMap((g) => {
            const o = find(workload, other, g.round)
            return o ? [value(g, o)] : []
          }),
        )
      const rate = (g: LoadRound, o: LoadRound) => g.requestsPerSecond / o.requestsPerSecond
      result.push({
        workload,
        contender,
        vsDirect: per('direct', rate),
        vsBare: per('bare-node', rate),
        vsNginx: per('nginx', rate),
        vsExpress: per('express', rate),
        p99AddedOverBare: per('bare-node', (g, o) => g.p99 - o.p99),
        p99VsBare: per('bare-node', (g, o) => g.p99 / o.p99),
        cpuVsBare: per('bare-node', (g, o) => g.cpuPerRequest / o.cpuPerRequest),
      })
    }
  }
  return result
}

/** The performance targets, judged on this run; a goal whose cells did not run is left out. */
export function goals(ratioList: readonly Ratio[], memory: readonly MemorySummary[]): Goal[] {
  const list: Goal[] = []
  const ratio = (workload: LoadWorkloadName, contender: Ratio['contender']) =>
    ratioList.find((r) => r.workload === workload && r.contender === contender)
  const x = (value: number) => `${value.toFixed(2)}×`
  for (const workload of ['produce-1k', 'consume'] as const) {
    const warm = ratio(workload, 'gateway')
    if (warm) {
      list.push({ goal: `${workload}: warm ≥ 0.7× bare Node`, measured: x(warm.vsBare), met: warm.vsBare >= 0.7 })
      list.push({ goal: `${workload}: aim ≥ 0.8× bare Node`, measured: x(warm.vsBare), met: warm.vsBare >= 0.8 })
      list.push({
        goal: `${workload}: CPU/req ≤ 1.4× bare Node`,
        measured: x(warm.cpuVsBare),
        met: warm.cpuVsBare <= 1.4,
      })
      if (Number.isFinite(warm.vsExpress))
        list.push({
          goal: `${workload}: faster than Express + hpm + jose`,
          measured: x(warm.vsExpress),
          met: warm.vsExpress > 1,
        })
    }
    if (warm)
      list.push({
        goal: `${workload}: p99 under full load ≤ 1.5× bare Node`,
        measured: x(warm.p99VsBare),
        met: warm.p99VsBare <= 1.5,
      })
    const cold = ratio(workload, 'gateway-cold')
    if (cold)
      list.push({ goal: `${workload}: cold ≥ 0.35× bare Node`, measured: x(cold.vsBare), met: cold.vsBare >= 0.35 })
  }
  // Latency added is judged where every target keeps up with the same rate (see workloads.ts).
  for (const workload of ['produce-1k-paced', 'consume-paced', 'produce-1k-one', 'consume-one'] as const) {
    const added = ratio(workload, 'gateway')?.p99AddedOverBare
    if (added === undefined) continue
    list.push({ goal: `${workload}: p99 added over bare ≤ 1 ms`, measured: `${added.toFixed(2)} ms`, met: added <= 1 })
  }
  const large = ratio('produce-1m', 'gateway')
  if (large) list.push({ goal: 'produce-1m: ≥ 0.9× bare Node', measured: x(large.vsBare), met: large.vsBare >= 0.9 })
  for (const cell of memory.filter((m) => m.contender === 'gateway')) {
    const growth = cell.peak - cell.before
    list.push({
      goal: `${cell.workload}: RSS growth ≤ 20 MiB`,
      measured: `${growth.toFixed(1)} MiB`,
      met: growth <= 20,
    })
  }
  return list
}
