// Renders one run as Markdown (printed and written to latest.md) and as JSON (latest.json).
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Goal, LoadSummary, MemorySummary, Ratio } from './results.js'
import type { SoakResult } from './soak.js'
import { loadWorkloads, memoryWorkloads, SOAK } from './workloads.js'

export interface RunInfo {
  date: string
  machine: string
  node: string
  nginx: string
  loadGenerator: string
  durationSeconds: number
  rounds: number
  connections: number
  rate: string
  pinning: string
  coldTokens: string
}

export interface Report {
  info: RunInfo
  processes: readonly { name: string; pid: number }[]
  load: LoadSummary[]
  ratios: Ratio[]
  memory: MemorySummary[]
  soak: SoakRow[]
  goals: Goal[]
}

export interface SoakRow extends SoakResult {
  contender: string
}

const TITLES: Record<string, string> = Object.fromEntries(
  [...loadWorkloads, ...memoryWorkloads, SOAK].map((w) => [w.name, w.title]),
)
const n0 = (value: number) => Math.round(value).toLocaleString('en-US')
const n2 = (value: number) => value.toFixed(2)
const n1 = (value: number) => value.toFixed(1)

export function toMarkdown({ info, load, ratios, memory, soak, goals }: Report): string {
  const lines = [
    '# kafka-rest-gateway benchmark',
    '',
    `- Date: ${info.date}`,
    `- Machine: ${info.machine}; Node ${info.node}; nginx ${info.nginx}; load generator ${info.loadGenerator}`,
    `- ${info.durationSeconds} s per cell, ${info.rounds} round(s) interleaved between targets, medians shown; ${info.connections} connections; request rate ${info.rate}`,
    `- Pinning: ${info.pinning}`,
    `- Cold path: ${info.coldTokens}`,
    '',
  ]
  if (load.length > 0) {
    lines.push(
      '## Throughput and latency',
      '',
      '| workload | target | req/s | p50 ms | p99 ms | CPU µs/req | RSS before MiB | RSS after MiB |',
    )
    lines.push('|---|---|---:|---:|---:|---:|---:|---:|')
    for (const c of load) {
      const cells = [
        c.workload,
        c.contender,
        n0(c.requestsPerSecond),
        n2(c.p50),
        n2(c.p99),
        n0(c.cpuPerRequest),
        n1(c.rssBefore),
        n1(c.rssAfter),
      ]
      lines.push(`| ${cells.join(' | ')} |`)
    }
    lines.push('', '## Ratios: gateway req/s ÷ the other in the same run (median of the per-round ratios)', '')
    lines.push(
      '| workload | gateway | ÷ direct | ÷ bare Node | ÷ nginx | ÷ Express | p99 added over bare Node | CPU/req ÷ bare Node |',
      '|---|---|---:|---:|---:|---:|---:|---:|',
    )
    for (const r of ratios) {
      const cells = [
        r.workload,
        r.contender,
        n2(r.vsDirect),
        n2(r.vsBare),
        n2(r.vsNginx),
        n2(r.vsExpress),
        `${n2(r.p99AddedOverBare)} ms`,
        n2(r.cpuVsBare),
      ]
      lines.push(`| ${cells.join(' | ')} |`)
    }
    lines.push('')
  }
  if (memory.length > 0) {
    lines.push(
      '## Memory (RSS of the target process, MiB)',
      '',
      '| workload | target | before | peak | after | peak − before |',
    )
    lines.push('|---|---|---:|---:|---:|---:|')
    for (const m of memory) {
      lines.push(
        `| ${[m.workload, m.contender, n1(m.before), n1(m.peak), n1(m.after), n1(m.peak - m.before)].join(' | ')} |`,
      )
    }
    lines.push('')
  }
  if (soak.length > 0) {
    lines.push(
      `## Soak: ${SOAK.rate.toLocaleString('en-US')} req/s from ${SOAK.users.toLocaleString('en-US')} users`,
      '',
      '| target | seconds | requests | 2xx/3xx | 4xx | 5xx | resets | of which idle races | timeouts |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    )
    for (const s of soak) {
      const cells = [
        s.contender,
        n1(s.seconds),
        s.requests,
        s.ok,
        s.clientErrors,
        s.serverErrors,
        s.resets,
        s.idleRaces,
        s.timeouts,
      ]
      lines.push(`| ${cells.join(' | ')} |`)
    }
    const samples = soak.flatMap((s) => s.samples.map((line) => `- ${s.contender}: ${line.slice(0, 200)}`))
    lines.push('', ...(samples.length > 0 ? ['Failures seen (first few):', ...samples, ''] : []))
  }
  if (goals.length > 0) {
    lines.push('## Targets', '', '| goal | measured | met |', '|---|---:|---|')
    for (const g of goals) lines.push(`| ${g.goal} | ${g.measured} | ${g.met ? 'yes' : '**no**'} |`)
    lines.push('')
  }
  const used = [...new Set([...load, ...memory].map((c) => c.workload)), ...(soak.length > 0 ? [SOAK.name] : [])]
  lines.push('Workloads:', ...used.map((name) => `- \`${name}\`: ${TITLES[name]}`), '')
  return lines.join('\n')
}

export function writeReport(dir: string, report: Report): { markdown: string; files: string[] } {
  mkdirSync(dir, { recursive: true })
  const markdown = toMarkdown(report)
  const files = [join(dir, 'latest.md'), join(dir, 'latest.json')]
  writeFileSync(files[0] as string, markdown)
  writeFileSync(files[1] as string, `${JSON.stringify(report, null, 2)}\n`)
  return { markdown, files }
}
