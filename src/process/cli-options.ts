// The command line: a config file, a validate-only switch, help and version. Anything else is an error naming it.

export interface CliOptions {
  config?: string
  check: boolean
  help: boolean
  version: boolean
}

export type CliParse = { options: CliOptions } | { error: string }

const SWITCHES: Readonly<Record<string, 'check' | 'help' | 'version'>> = {
  '--check': 'check',
  '--help': 'help',
  '-h': 'help',
  '--version': 'version',
  '-v': 'version',
}
const KNOWN = ['--config', '-c', ...Object.keys(SWITCHES)]

export function parseCliArgs(argv: readonly string[]): CliParse {
  const options: CliOptions = { check: false, help: false, version: false }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? splitOnce(arg) : [arg, undefined]
    if (name === '--config' || name === '-c') {
      const value = inline ?? argv[++i]
      if (!value || (inline === undefined && value.startsWith('-'))) return { error: `${name} needs a file path` }
      options.config = value
      continue
    }
    const flag = SWITCHES[name]
    if (flag && inline === undefined) {
      options[flag] = true
      continue
    }
    if (flag) return { error: `${name} takes no value` }
    if (!arg.startsWith('-')) return { error: `unexpected argument "${arg}" (the config file goes after --config)` }
    const guess = KNOWN.find((known) => known.startsWith('--') && closeTo(name, known))
    return { error: `unknown option ${name}${guess ? ` (did you mean ${guess}?)` : ''}` }
  }
  return { options }
}

function splitOnce(arg: string): [string, string] {
  const at = arg.indexOf('=')
  return [arg.slice(0, at), arg.slice(at + 1)]
}

/** One letter dropped, added, swapped or changed: the usual typos. */
function closeTo(typed: string, known: string): boolean {
  if (Math.abs(typed.length - known.length) > 1) return false
  let i = 0
  while (i < typed.length && typed[i] === known[i]) i++
  const rest = (a: string, b: string) => typed.slice(a.length) === known.slice(b.length)
  return (
    rest(typed.slice(0, i + 1), known.slice(0, i + 1)) ||
    rest(typed.slice(0, i + 1), known.slice(0, i)) ||
    rest(typed.slice(0, i), known.slice(0, i + 1)) ||
    (typed[i] === known[i + 1] && typed[i + 1] === known[i] && rest(typed.slice(0, i + 2), known.slice(0, i + 2)))
  )
}
