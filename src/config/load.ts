// loadConfig: YAML file (--config / GATEWAY_CONFIG) overridden by GATEWAY_* variables, validated by the schema.
import { createRequire } from 'node:module'
import { ConfigError } from './config-error.js'
import { describeIssue } from './describe-issue.js'
import { coerceEnvValue, envBindings, MINIMAL_ENV_HINT } from './env.js'
import { type Config, configSchema } from './schema.js'

export { ConfigError } from './config-error.js'

export interface ConfigSources {
  /** The config file; when absent, `--config` in `argv`, then GATEWAY_CONFIG. */
  file?: string
  argv?: readonly string[]
  env?: Readonly<Record<string, string | undefined>>
  readFile?: (path: string) => string
}

export function loadConfig({ file, argv = [], env = {}, readFile }: ConfigSources): Config {
  const path = file ?? configPath(argv, env)
  const tree = path ? readYamlFile(path, readFile) : {}
  let fromEnv = 0
  for (const binding of envBindings) {
    const text = env[binding.env]
    if (text === undefined || text === '') continue
    setPath(tree, binding.path, coerceEnvValue(text, binding.coerce))
    fromEnv++
  }
  if (!path && fromEnv === 0) {
    throw new ConfigError([
      `nothing is configured: give a file with --config FILE (or GATEWAY_CONFIG), or set ${MINIMAL_ENV_HINT}; --help lists the options`,
    ])
  }
  const result = configSchema.safeParse(tree, { reportInput: true })
  if (!result.success) throw new ConfigError(result.error.issues.flatMap((issue) => describeIssue(issue, configSchema)))
  return result.data
}

function configPath(argv: readonly string[], env: ConfigSources['env'] = {}): string | undefined {
  const index = argv.findIndex((arg) => arg === '--config' || arg.startsWith('--config='))
  if (index === -1) return env.GATEWAY_CONFIG || undefined
  const arg = argv[index] as string
  const path = arg.includes('=') ? arg.slice('--config='.length) : argv[index + 1]
  if (!path) throw new ConfigError(['--config needs a file path'])
  return path
}

function readYamlFile(path: string, readFile: ConfigSources['readFile']): Record<string, unknown> {
  if (!readFile) throw new ConfigError([`cannot read ${path}: no file reader given`])
  let text: string
  try {
    text = readFile(path)
  } catch (error) {
    throw new ConfigError([`cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`])
  }
  let parsed: unknown
  try {
    parsed = yaml().parse(text)
  } catch (error) {
    throw new ConfigError([`config file ${path} is not valid YAML: ${yamlProblem(error as Error)}`])
  }
  if (parsed === null || parsed === undefined) return {}
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError([`config file ${path}: the top level must be a mapping (key: value)`])
  }
  return parsed as Record<string, unknown>
}

/** The YAML parser is loaded only when a file is given: a gateway configured by environment never pays its memory. */
function yaml(): typeof import('yaml') {
  return createRequire(import.meta.url)('yaml')
}

/** "line 2, column 9: <reason>" and the parser's snippet of the line with a caret under the column. */
function yamlProblem(error: Error): string {
  const match = /^([\s\S]*?) at (line \d+, column \d+):\n\n([\s\S]*?)\n*$/.exec(error.message)
  if (!match) return error.message
  const [, reason, where, snippet] = match as unknown as [string, string, string, string]
  return `${where}: ${reason}\n${snippet
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n')}`
}

function setPath(tree: Record<string, unknown>, path: readonly (string | number)[], value: unknown): void {
  let node: Record<string | number, unknown> = tree
  path.forEach((key, i) => {
    if (i === path.length - 1) {
      node[key] = value
      return
    }
    const next = node[key]
    if (typeof next !== 'object' || next === null) node[key] = typeof path[i + 1] === 'number' ? [] : {}
    node = node[key] as Record<string | number, unknown>
  })
}
