// Reads the relative imports of every TypeScript file under a folder into a graph, then finds import circles and imports
// that break the layer rules. The TypeScript parser (not a regex) reads the imports, so multi-line and type-only imports
// are seen as the compiler sees them.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import ts from 'typescript'
import type { LayerRules } from './layer-rules.js'

export interface ImportEdge {
  from: string
  to: string
  /** Erased at compile time (`import type`, or every named binding marked `type`): a compile-time dependency only. */
  typeOnly: boolean
}

/** Files are paths relative to the repository root with forward slashes, e.g. `src/gateway.ts`. */
export interface ImportGraph {
  files: string[]
  edges: ImportEdge[]
}

export function readImportGraph(root: string, folder: string): ImportGraph {
  const files = listTypeScript(path.join(root, folder)).map((file) => toPosix(path.relative(root, file)))
  const edges = files.flatMap((file) =>
    importsOf(readFileSync(path.join(root, file), 'utf8')).map(({ specifier, typeOnly }) => ({
      from: file,
      to: resolve(root, file, specifier),
      typeOnly,
    })),
  )
  return { files, edges }
}

function listTypeScript(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return listTypeScript(full)
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : []
  })
}

function toPosix(file: string): string {
  return file.split(path.sep).join('/')
}

/** Relative specifiers only: packages and `node:` built-ins are not part of the layering. */
function importsOf(text: string): Array<{ specifier: string; typeOnly: boolean }> {
  const source = ts.createSourceFile('file.ts', text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS)
  const found: Array<{ specifier: string; typeOnly: boolean }> = []
  const add = (specifier: ts.Node | undefined, typeOnly: boolean) => {
    if (specifier && ts.isStringLiteral(specifier) && specifier.text.startsWith('.')) {
      found.push({ specifier: specifier.text, typeOnly })
    }
  }
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) add(node.moduleSpecifier, isTypeOnlyImport(node))
    else if (ts.isExportDeclaration(node)) add(node.moduleSpecifier, isTypeOnlyExport(node))
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword)
      add(node.arguments[0], false)
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal, true)
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause
  if (!clause) return false // `import './x.js'` runs the module
  if (clause.isTypeOnly) return true
  const bindings = clause.namedBindings
  return (
    clause.name === undefined &&
    bindings !== undefined &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((element) => element.isTypeOnly)
  )
}

function isTypeOnlyExport(node: ts.ExportDeclaration): boolean {
  if (node.isTypeOnly) return true
  const clause = node.exportClause
  return (
    clause !== undefined &&
    ts.isNamedExports(clause) &&
    clause.elements.length > 0 &&
    clause.elements.every((e) => e.isTypeOnly)
  )
}

/** `./x.js` names `./x.ts` under NodeNext resolution; a specifier that names no file is reported as it is written. */
function resolve(root: string, from: string, specifier: string): string {
  const base = path.join(path.dirname(path.join(root, from)), specifier)
  const candidates = [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, path.join(base, 'index.ts')]
  const hit = candidates.find((candidate) => candidate.endsWith('.ts') && existsSync(candidate))
  return toPosix(path.relative(root, hit ?? base))
}

/** Every import circle, each as its files in import order (the first file imports the second, ..., the last the first). */
export function findCircles(graph: ImportGraph): string[][] {
  const next = new Map<string, string[]>()
  for (const { from, to } of graph.edges) next.set(from, [...(next.get(from) ?? []), to])
  // Tarjan's strongly connected components: any component of two or more files, or a file importing itself, is a circle.
  let counter = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const circles: string[][] = []
  const connect = (file: string): void => {
    index.set(file, counter)
    low.set(file, counter)
    counter += 1
    stack.push(file)
    onStack.add(file)
    for (const target of next.get(file) ?? []) {
      if (!index.has(target)) {
        connect(target)
        low.set(file, Math.min(low.get(file) ?? 0, low.get(target) ?? 0))
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file) ?? 0, index.get(target) ?? 0))
      }
    }
    if (low.get(file) !== index.get(file)) return
    const component: string[] = []
    let member: string | undefined
    do {
      member = stack.pop()
      if (member === undefined) break
      onStack.delete(member)
      component.push(member)
    } while (member !== file)
    if (component.length > 1 || (next.get(file) ?? []).includes(file)) circles.push(component.reverse())
  }
  for (const file of [...graph.files, ...graph.edges.map((edge) => edge.to)]) if (!index.has(file)) connect(file)
  return circles
}

/** Which layer (by its position, 0 = top) or tool a file belongs to: the longest matching path prefix wins. */
export function placeOf(rules: LayerRules, file: string): { layer: number } | { tool: true } | undefined {
  let best: { length: number; place: { layer: number } | { tool: true } } | undefined
  const consider = (prefix: string, place: { layer: number } | { tool: true }) => {
    const matches = prefix.endsWith('/') ? file.startsWith(prefix) : file === prefix
    if (matches && (!best || prefix.length > best.length)) best = { length: prefix.length, place }
  }
  rules.layers.forEach((layer, position) => {
    for (const prefix of layer.paths) consider(prefix, { layer: position })
  })
  for (const prefix of rules.tools) consider(prefix, { tool: true })
  return best?.place
}

export interface LayerReport {
  /** Files that belong to no layer and no tool: a new folder must be placed in the rules before it can be checked. */
  unplaced: string[]
  /** Relative imports that name no file. */
  unresolved: ImportEdge[]
  /** Imports pointing up the layers, into a sealed folder from its own layer, or into a tool, that no exception allows. */
  violations: ImportEdge[]
  /** Exceptions that no longer match an import (remove them), or that allow more than they say (a runtime import). */
  staleExceptions: string[]
}

export function checkLayers(graph: ImportGraph, rules: LayerRules): LayerReport {
  const known = new Set(graph.files)
  const unplaced = graph.files.filter((file) => placeOf(rules, file) === undefined)
  const unresolved = graph.edges.filter((edge) => !known.has(edge.to))
  const used = new Set<string>()
  const violations = graph.edges.filter((edge) => {
    if (!breaksLayers(rules, edge)) return false
    const exception = rules.exceptions.find(({ from, to }) => from === edge.from && to === edge.to)
    if (!exception || (exception.typeOnly && !edge.typeOnly)) return true
    used.add(`${exception.from} -> ${exception.to}`)
    return false
  })
  const staleExceptions = rules.exceptions
    .map(({ from, to }) => `${from} -> ${to}`)
    .filter((exception) => !used.has(exception))
  return { unplaced, unresolved, violations, staleExceptions }
}

function breaksLayers(rules: LayerRules, edge: ImportEdge): boolean {
  const from = placeOf(rules, edge.from)
  const to = placeOf(rules, edge.to)
  if (!from || !to) return false // reported as unplaced or unresolved instead
  if ('tool' in to) return !('tool' in from) // the gateway never depends on its development tools
  if ('tool' in from) return false // tools may use any part of the gateway
  if (to.layer < from.layer) return true
  const sealed = rules.sealed.find((folder) => edge.to.startsWith(folder))
  return sealed !== undefined && to.layer === from.layer && !edge.from.startsWith(sealed)
}
