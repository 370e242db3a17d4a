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
  return selfTimes(file, ({ functionName, url, lineNumber }) => ({
    name: functionName || '(anonymous)',
    where: url ? `${shorten(url, root)}:${lineNumber + 1}` : '',
  })).slice(0, limit)
}

/** The same, added up by package (node_modules), Node module (node:…), gateway folder (src/…) or native code. */
export function selfTimeByArea(file: string, root: string, limit = 15): SelfTime[] {
  return selfTimes(file, ({ functionName, url }) => ({
    name: areaOf(functionName, shorten(url, root)),
    where: '',
  })).slice(0, limit)
}

function areaOf(functionName: string, path: string): string {
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1]
  if (inPackage) return inPackage
  if (path.startsWith('node:')) return path
  const inGateway = /(?:^|\/)src\/(.+)\/[^/]+$/.exec(path)?.[1]
  if (inGateway) return `src/${inGateway}`
  if (path.includes('/src/') || path.startsWith('src/')) return 'src'
  if (path) return path
  return functionName.startsWith('(') ? functionName : `native: ${functionName || '(anonymous)'}`
}

function selfTimes(
  file: string,
  keyOf: (frame: ProfileNode['callFrame']) => { name: string; where: string },
): SelfTime[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
  const microsByNode = new Map<number, number>()
  profile.samples.forEach((id, index) => {
    microsByNode.set(id, (microsByNode.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0))
  })
  // The same function appears as several nodes (one per call path): add them up.
  const byKey = new Map<string, { name: string; where: string; micros: number }>()
  for (const node of profile.nodes) {
    const micros = microsByNode.get(node.id) ?? 0
    if (micros === 0 || node.callFrame.functionName === '(idle)') continue
    const { name, where } = keyOf(node.callFrame)
    const key = `${name}@${where}`
    const entry = byKey.get(key) ?? { name, where, micros: 0 }
    entry.micros += micros
    byKey.set(key, entry)
  }
  const total = [...byKey.values()].reduce((sum, entry) => sum + entry.micros, 0)
  return [...byKey.values()]
    .sort((a, b) => b.micros - a.micros)
    .map((entry) => ({ ...entry, milliseconds: entry.micros / 1000, percent: (100 * entry.micros) / total }))
}

function shorten(url: string, root: string): string {
  if (!url) return ''
  const path = url.startsWith('file://') ? new URL(url).pathname : url
  const inRepo = relative(root, path)
  return inRepo.startsWith('..') ? path : inRepo
}

/** A Markdown table; rows without a place (areas) get no `where` column. */
export function selfTimeTable(rows: readonly SelfTime[]): string {
  const withWhere = rows.some((row) => row.where !== '')
  const lines = withWhere
    ? ['| self ms | % of busy | function | where |', '|---:|---:|---|---|']
    : ['| self ms | % of busy | area |', '|---:|---:|---|']
  for (const row of rows) {
    const cells = [
      row.milliseconds.toFixed(0),
      row.percent.toFixed(1),
      `\`${row.name}\``,
      ...(withWhere ? [row.where] : []),
    ]
    lines.push(`| ${cells.join(' | ')} |`)
  }
  return lines.join('\n')
}
