// Reads a V8 .cpuprofile (from `node --cpu-prof`) and lists the functions with the most self time.
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
}

interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

export interface SelfTime {
  name: string
  where: string
  milliseconds: number
  /** Share of the non-idle time. */
  percent: number
}

export function topSelfTime(file: string, root: string, limit = 25): SelfTime[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
  const microsByNode = new Map<number, number>()
  profile.samples.forEach((id, index) => {
    microsByNode.set(id, (microsByNode.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0))
  })
  // The same function appears as several nodes (one per call path): add them up.
  const byFunction = new Map<string, { name: string; where: string; micros: number }>()
  for (const node of profile.nodes) {
    const micros = microsByNode.get(node.id) ?? 0
    if (micros === 0) continue
    const { functionName, url, lineNumber } = node.callFrame
    const where = url ? `${shorten(url, root)}:${lineNumber + 1}` : ''
    const key = `${functionName}@${where}`
    const entry = byFunction.get(key) ?? { name: functionName || '(anonymous)', where, micros: 0 }
    entry.micros += micros
    byFunction.set(key, entry)
  }
  const busy = [...byFunction.values()].filter((entry) => entry.name !== '(idle)')
  const total = busy.reduce((sum, entry) => sum + entry.micros, 0)
  return busy
    .sort((a, b) => b.micros - a.micros)
    .slice(0, limit)
    .map((entry) => ({
      name: entry.name,
      where: entry.where,
      milliseconds: entry.micros / 1000,
      percent: (100 * entry.micros) / total,
    }))
}

function shorten(url: string, root: string): string {
  const path = url.startsWith('file://') ? new URL(url).pathname : url
  const inRepo = relative(root, path)
  return inRepo.startsWith('..') ? path : inRepo
}

export function selfTimeTable(rows: readonly SelfTime[]): string {
  const lines = ['| self ms | % of busy | function | where |', '|---:|---:|---|---|']
  for (const row of rows) {
    lines.push(`| ${row.milliseconds.toFixed(0)} | ${row.percent.toFixed(1)} | \`${row.name}\` | ${row.where} |`)
  }
  return lines.join('\n')
}
