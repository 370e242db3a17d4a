// The import graph of src/: no circles, and every import points down the layers of layer-rules.ts (or is a listed
// exception). The checker's own cases run on small made-up graphs, so a check that passes is known to be able to fail.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { checkLayers, findCircles, type ImportGraph, readImportGraph } from './import-graph.js'
import { type LayerRules, layerRules, MAX_EXCEPTIONS } from './layer-rules.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const graph = readImportGraph(root, 'src')

describe('the import graph of src/', () => {
  it('is read: every folder of the gateway shows up with its imports', () => {
    expect(graph.files).toContain('src/gateway.ts')
    expect(graph.edges).toContainEqual({ from: 'src/gateway.ts', to: 'src/pipeline.ts', typeOnly: false })
    expect(graph.edges.length).toBeGreaterThan(graph.files.length)
  })

  it('has no import circles, type-only imports included', () => {
    expect(findCircles(graph)).toEqual([])
  })

  it('follows the layer rules: every file placed, every import resolved, none pointing up unless listed', () => {
    expect(checkLayers(graph, layerRules)).toEqual({
      unplaced: [],
      unresolved: [],
      violations: [],
      staleExceptions: [],
    })
  })

  it(`lists at most ${MAX_EXCEPTIONS} exceptions, each with its reason`, () => {
    expect(layerRules.exceptions.length).toBeLessThanOrEqual(MAX_EXCEPTIONS)
    for (const exception of layerRules.exceptions) expect(exception.why.length).toBeGreaterThan(20)
  })
})

describe('the checker', () => {
  const rules: LayerRules = {
    layers: [
      { name: 'top', paths: ['src/top.ts'] },
      { name: 'middle', paths: ['src/middle/'] },
      { name: 'bottom', paths: ['src/bottom/'] },
    ],
    tools: ['src/tool/'],
    sealed: ['src/middle/sealed/'],
    exceptions: [{ from: 'src/bottom/b.ts', to: 'src/middle/m.ts', typeOnly: true, why: 'a type the bottom needs' }],
  }
  const files = [
    'src/top.ts',
    'src/middle/m.ts',
    'src/middle/n.ts',
    'src/middle/sealed/s.ts',
    'src/middle/sealed/r.ts',
    'src/bottom/b.ts',
    'src/tool/t.ts',
  ]
  const edge = (from: string, to: string, typeOnly = false) => ({ from, to, typeOnly })

  it('finds a circle of two files and a file importing itself, type-only edges included', () => {
    const circular: ImportGraph = {
      files,
      edges: [
        edge('src/middle/m.ts', 'src/middle/n.ts', true),
        edge('src/middle/n.ts', 'src/middle/m.ts'),
        edge('src/bottom/b.ts', 'src/bottom/b.ts'),
        edge('src/top.ts', 'src/middle/m.ts'),
      ],
    }
    expect(findCircles(circular)).toEqual(expect.arrayContaining([['src/bottom/b.ts']]))
    expect(findCircles(circular).map((circle) => [...circle].sort())).toContainEqual([
      'src/middle/m.ts',
      'src/middle/n.ts',
    ])
    expect(findCircles(circular)).toHaveLength(2)
  })

  it('passes imports that point down or stay in their layer, and tools that import the gateway', () => {
    const good: ImportGraph = {
      files,
      edges: [
        edge('src/top.ts', 'src/bottom/b.ts'),
        edge('src/middle/m.ts', 'src/middle/n.ts'),
        edge('src/tool/t.ts', 'src/top.ts'),
        edge('src/bottom/b.ts', 'src/middle/m.ts', true),
        edge('src/top.ts', 'src/middle/sealed/s.ts'),
        edge('src/middle/sealed/r.ts', 'src/middle/sealed/s.ts'),
      ],
    }
    expect(checkLayers(good, rules)).toEqual({ unplaced: [], unresolved: [], violations: [], staleExceptions: [] })
  })

  it('reports imports up the layers, into a tool, into a sealed folder from its own layer, and beyond an exception', () => {
    const bad: ImportGraph = {
      files,
      edges: [
        edge('src/middle/m.ts', 'src/top.ts', true),
        edge('src/bottom/b.ts', 'src/tool/t.ts'),
        edge('src/bottom/b.ts', 'src/middle/m.ts'),
        edge('src/middle/n.ts', 'src/middle/sealed/s.ts', true),
      ],
    }
    expect(checkLayers(bad, rules)).toEqual({
      unplaced: [],
      unresolved: [],
      violations: bad.edges,
      staleExceptions: ['src/bottom/b.ts -> src/middle/m.ts'],
    })
  })

  it('reports files in no layer, imports of missing files, and exceptions nothing uses', () => {
    const loose: ImportGraph = {
      files: [...files, 'src/new-folder/x.ts'],
      edges: [edge('src/top.ts', 'src/middle/gone.js')],
    }
    expect(checkLayers(loose, rules)).toEqual({
      unplaced: ['src/new-folder/x.ts'],
      unresolved: [edge('src/top.ts', 'src/middle/gone.js')],
      violations: [],
      staleExceptions: ['src/bottom/b.ts -> src/middle/m.ts'],
    })
  })
})

describe('reading imports', () => {
  it('sees multi-line, type-only, re-exported, side-effect and dynamic imports, and skips packages', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'import-graph-'))
    try {
      mkdirSync(path.join(dir, 'src/a'), { recursive: true })
      for (const name of ['b', 'c', 'd', 'e', 'f', 'g', 'h']) writeFileSync(path.join(dir, `src/a/${name}.ts`), '')
      writeFileSync(
        path.join(dir, 'src/a/main.ts'),
        [
          "import {\n  one,\n  two,\n} from './b.js'",
          "import { type T, type U } from './c.js'",
          "import type { V } from './d.js'",
          "export { w } from './e.js'",
          "import './f.js'",
          "const later = () => import('./g.js')",
          "type X = import('./h.js').X",
          "import { z } from 'zod'",
          "import { once } from 'node:events'",
        ].join('\n'),
      )
      const edges = readImportGraph(dir, 'src').edges
      expect(edges).toEqual([
        edge('src/a/main.ts', 'src/a/b.ts'),
        edge('src/a/main.ts', 'src/a/c.ts', true),
        edge('src/a/main.ts', 'src/a/d.ts', true),
        edge('src/a/main.ts', 'src/a/e.ts'),
        edge('src/a/main.ts', 'src/a/f.ts'),
        edge('src/a/main.ts', 'src/a/g.ts'),
        edge('src/a/main.ts', 'src/a/h.ts', true),
      ])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
  const edge = (from: string, to: string, typeOnly = false) => ({ from, to, typeOnly })
})
