// Human wording for a schema problem: the key, its env variable, and what the key must be ("server.port
// (GATEWAY_PORT) must be an integer from 0 to 65535"), worked out from the schema itself rather than zod's wording.
import type { z } from 'zod'
import { envNameFor, sectionEnvHint } from './env.js'

type Node = z.core.$ZodType
type Def = { type: string; [key: string]: unknown }

const defOf = (node: Node): Def => (node as unknown as { _zod: { def: Def } })._zod.def

/** Past defaults, optionals and transforms, to the schema that says what the value must look like. */
function unwrap(node: Node): Node {
  let current = node
  for (;;) {
    const def = defOf(current)
    const inner = def.innerType ?? (def.type === 'pipe' ? def.in : undefined)
    if (!inner) return current
    current = inner as Node
  }
}

/** The schema of the value at `path`, or undefined where the schema cannot say (unions, unknown keys). */
function schemaAt(root: Node, path: readonly PropertyKey[]): Node | undefined {
  let node: Node | undefined = unwrap(root)
  for (const key of path) {
    if (!node) return undefined
    const def = defOf(node)
    if (def.type === 'object') node = (def.shape as Record<string, Node>)[String(key)]
    else if (def.type === 'array') node = def.element as Node
    else if (def.type === 'record') node = def.valueType as Node
    else if (def.type === 'union') node = (def.options as Node[]).map((option) => schemaAt(option, [key])).find(Boolean)
    else return undefined
    node = node && unwrap(node)
  }
  return node
}

/** What a value of this schema must be, as a phrase after "must be", or undefined when the schema cannot say. */
function expectation(node: Node | undefined): string | undefined {
  if (!node) return undefined
  const def = defOf(node)
  switch (def.type) {
    case 'number':
      return numberExpectation(def)
    case 'boolean':
      return 'true or false'
    case 'enum':
      return `one of ${Object.values(def.entries as Record<string, string>).join(', ')}`
    case 'string':
      return 'text'
    case 'array':
      return 'a list'
    case 'object':
    case 'record':
      return 'a mapping (key: value)'
    default:
      return undefined
  }
}

function numberExpectation(def: Def): string {
  const checks = (
    (def.checks ?? []) as { _zod: { def: { check: string; value?: number; inclusive?: boolean } } }[]
  ).map((check) => check._zod.def)
  const int = checks.some((check) => check.check === 'number_format')
  const step = int ? 1 : 0
  let min: number | undefined
  let max: number | undefined
  for (const check of checks) {
    if (check.check === 'greater_than') min = (check.value as number) + (check.inclusive ? 0 : step)
    if (check.check === 'less_than') max = (check.value as number) - (check.inclusive ? 0 : step)
  }
  const what = int ? 'an integer' : 'a number'
  if (min !== undefined && max !== undefined) return `${what} from ${min} to ${max}`
  if (min !== undefined) return `${what} of at least ${min}`
  if (max !== undefined) return `${what} of at most ${max}`
  return what
}

/** How zod's own messages begin (the ones replaced by wording from the schema). */
const ZOD_WORDING = /^(Invalid|Too (small|big)|Unrecognized|Expected)/

/** The problem lines for one zod issue (an issue about several unknown keys gives one line per key). */
export function describeIssue(issue: z.core.$ZodIssue, root: Node): string[] {
  const where = keyName(issue.path)
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys(schemaAt(root, issue.path))
    return issue.keys.map((key) => {
      const guess = closest(key, known)
      const name = formatPath([...issue.path, key])
      return `${name} is not a known key${guess ? `; did you mean ${formatPath([...issue.path, guess])}?` : ''}`
    })
  }
  if (issue.code === 'invalid_type' && issue.input === undefined)
    return [`${where} is required${requiredHint(issue.path)}`]
  // A message the schema wrote itself says more than a generic one ("\"none\" can never be enabled").
  if (issue.code === 'custom' || issue.code === 'invalid_union' || !ZOD_WORDING.test(issue.message))
    return [`${where} ${issue.message}`]
  const node = schemaAt(root, issue.path)
  if (issue.code === 'too_small' && node && defOf(node).type === 'string') return [`${where} must not be empty`]
  if (issue.code === 'too_small' && issue.origin === 'array')
    return [`${where} must list at least ${issue.minimum} item${Number(issue.minimum) === 1 ? '' : 's'}`]
  const expected = expectation(node)
  if (expected && ['invalid_type', 'too_small', 'too_big', 'invalid_value', 'not_multiple_of'].includes(issue.code))
    return [`${where} must be ${expected}`]
  return [`${where} ${issue.message.replace(/^Invalid input: /, '')}`]
}

/** The key as a dotted path, with its env variable when one sets it: `server.port (GATEWAY_PORT)`. */
export function keyName(path: readonly PropertyKey[]): string {
  const env = envNameFor(path)
  return env ? `${formatPath(path)} (${env})` : formatPath(path)
}

/** For a missing section: the env variables that would fill it. */
function requiredHint(path: readonly PropertyKey[]): string {
  const hint = sectionEnvHint(path)
  return hint ? `: set it in the config file or with ${hint}` : ''
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)'
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`))
    .join('')
}

function knownKeys(node: Node | undefined): string[] {
  if (!node) return []
  const def = defOf(node)
  return def.type === 'object' ? Object.keys(def.shape as object) : []
}

/** The known key a typo most likely meant: same letters in another case, or at most two edits away. */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = 3
  for (const candidate of known) {
    const distance = candidate.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, candidate)
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      row[j] = Math.min((previous[j] as number) + 1, (row[j - 1] as number) + 1, (previous[j - 1] as number) + cost)
    }
    previous = row
  }
  return previous[b.length] as number
}
