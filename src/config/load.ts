// loadConfig: YAML file (--config / GATEWAY_CONFIG) overridden by GATEWAY_* variables, validated by the schema.
import { parse as parseYaml } from 'yaml'
import type { z } from 'zod'
import { coerceEnvValue, envBindings, envNameFor } from './env.js'
import { type Config, configSchema } from './schema.js'

export interface ConfigSources {
  argv?: readonly string[]
  env?: Readonly<Record<string, string | undefined>>
  readFile?: (path: string) => string
}

/** Every problem found, one line each, naming the key (and its env variable) and what is wrong. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.map((problem) => `config error: ${problem}`).join('\n'))
    this.name = 'ConfigError'
  }
}

export function loadConfig({ argv = [], env = {}, readFile }: ConfigSources): Config {
  const file = configPath(argv, env)
  const tree = file ? readYamlFile(file, readFile) : {}
  for (const binding of envBindings) {
    const text = env[binding.env]
    if (text !== undefined && text !== '') setPath(tree, binding.path, coerceEnvValue(text, binding.coerce))
  }
  const result = configSchema.safeParse(tree, { reportInput: true })
  if (!result.success) throw new ConfigError(result.error.issues.map(describeIssue))
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
  try {
    const parsed: unknown = parseYaml(text)
    if (parsed === null || parsed === undefined) return {}
    if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('the top level must be a mapping')
    return parsed as Record<string, unknown>
  } catch (error) {
    throw new ConfigError([`config file ${path} is not valid YAML: ${(error as Error).message.split('\n')[0]}`])
  }
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

function describeIssue(issue: z.core.$ZodIssue): string {
  const key = formatPath(issue.path)
  const env = envNameFor(issue.path)
  const where = env ? `${key} (${env})` : key
  if (issue.code === 'invalid_type' && issue.input === undefined) return `${where} is required`
  if (issue.code === 'unrecognized_keys')
    return `${where}: unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`
  return `${where} ${issue.message.replace(/^Invalid input: /, '')}`
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)'
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`))
    .join('')
}
