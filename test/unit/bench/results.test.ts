// The benchmark's arithmetic: medians, ratios taken within each round, and the performance goals judged from them.
import { describe, expect, it } from 'vitest'
import {
  type ContenderName,
  goals,
  type LoadRound,
  type MemorySummary,
  median,
  ratios,
  summarizeLoad,
} from '../../../bench/results.js'
import type { LoadWorkloadName } from '../../../bench/workloads.js'

function round(contender: ContenderName, n: number, requestsPerSecond: number, p99 = 10): LoadRound {
  return {
    workload: 'produce-1k',
    contender,
    round: n,
    requestsPerSecond,
    p50: p99 / 2,
    p99,
    cpuPerRequest: 1e6 / requestsPerSecond,
    rssBefore: 50,
    rssAfter: 60,
  }
}

describe('median', () => {
  it.each([
    [[], Number.NaN],
    [[3], 3],
    [[5, 1, 3], 3],
    [[4, 1, 3, 2], 2.5],
  ])('of %j is %d', (values, expected) => {
    expect(median(values)).toBe(expected)
  })
})

describe('ratios', () => {
  // Round 2 ran while the machine was busy: every target slowed down, so its ratio is as good as the others.
  const rounds = [
    round('direct', 1, 20_000),
    round('bare-node', 1, 6_000, 8),
    round('nginx', 1, 15_000),
    round('gateway', 1, 3_000, 9),
    round('direct', 2, 10_000),
    round('bare-node', 2, 3_000, 20),
    round('nginx', 2, 7_500),
    round('gateway', 2, 1_500, 30),
    round('direct', 3, 20_000),
    round('bare-node', 3, 6_000, 8),
    round('nginx', 3, 15_000),
    round('gateway', 3, 3_600, 8.5),
  ]

  it('divides within each round and takes the median of those ratios', () => {
    const [ratio] = ratios(rounds)
    expect(ratio).toMatchObject({
      workload: 'produce-1k',
      contender: 'gateway',
      vsDirect: 0.15,
      vsBare: 0.5,
      vsNginx: 0.2,
    })
    expect(ratio?.p99AddedOverBare).toBe(1)
    expect(ratio?.cpuVsBare).toBe(2)
  })

  it('leaves out contenders that did not run', () => {
    expect(ratios(rounds).map((r) => r.contender)).toEqual(['gateway'])
    expect(ratios(rounds.filter((r) => r.contender !== 'gateway'))).toEqual([])
  })

  it('summarises each cell by its medians', () => {
    const gateway = summarizeLoad(rounds).find((cell) => cell.contender === 'gateway')
    expect(gateway).toMatchObject({ rounds: 3, requestsPerSecond: 3_000, p99: 9, rssAfter: 60 })
  })
})

describe('goals', () => {
  const ratio = (vsBare: number, p99AddedOverBare = 1, workload: LoadWorkloadName = 'produce-1k') => ({
    workload,
    contender: 'gateway' as const,
    vsDirect: 0.2,
    vsBare,
    vsNginx: 0.3,
    vsExpress: 1.5,
    p99AddedOverBare,
    p99VsBare: 1 / vsBare,
    cpuVsBare: 1 / vsBare,
  })
  const memory = (peak: number): MemorySummary => ({
    workload: 'long-polls',
    contender: 'gateway',
    rounds: 1,
    before: 100,
    peak,
    after: peak,
  })
  const verdicts = (list: ReturnType<typeof goals>) => Object.fromEntries(list.map((g) => [g.goal, g.met]))

  it.each([
    [0.82, 0.5, { warm: true, aim: true, cpu: true, p99: true, full: true }],
    [0.72, 1.5, { warm: true, aim: false, cpu: true, p99: false, full: true }],
    [0.45, 2.5, { warm: false, aim: false, cpu: false, p99: false, full: false }],
  ])('judges %d× bare, and %d ms added p99 at a fixed rate and on one connection', (vsBare, added, expected) => {
    const list = [ratio(vsBare), ratio(1, added, 'produce-1k-paced'), ratio(1, added, 'consume-one')]
    expect(verdicts(goals(list, []))).toEqual({
      'produce-1k: warm ≥ 0.7× bare Node': expected.warm,
      'produce-1k: aim ≥ 0.8× bare Node': expected.aim,
      'produce-1k: CPU/req ≤ 1.4× bare Node': expected.cpu,
      'produce-1k: faster than Express + hpm + jose': true,
      'produce-1k: p99 under full load ≤ 1.5× bare Node': expected.full,
      'produce-1k-paced: p99 added over bare ≤ 1 ms': expected.p99,
      'consume-one: p99 added over bare ≤ 1 ms': expected.p99,
    })
  })

  it('judges no latency at saturation, where a slower proxy queues more', () => {
    expect(goals([ratio(0.6, 25)], []).map((g) => g.goal)).not.toContain('produce-1k: p99 added over bare ≤ 1 ms')
  })

  it.each([
    [119, true],
    [121, false],
  ])('judges RSS growth from before to the peak (peak %d MiB from 100)', (peak, met) => {
    expect(goals([], [memory(peak)])).toEqual([
      { goal: 'long-polls: RSS growth ≤ 20 MiB', measured: `${(peak - 100).toFixed(1)} MiB`, met },
    ])
  })
})
