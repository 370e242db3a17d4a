// ConfigError: the one error for a configuration the gateway cannot start with, carrying every problem found.

/** Every problem found, one line each (a YAML snippet may add lines), naming the key (and its env variable). */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.map((problem) => `config error: ${problem}`).join('\n'))
    this.name = 'ConfigError'
  }
}

/** Runs `check` and returns the problems of the ConfigError it throws (none when it returns); other errors pass. */
export function problemsOf(check: () => unknown): readonly string[] {
  try {
    check()
    return []
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
}

/**
 * Reads a file the configuration names at start-up. When it cannot be read, adds `<key>: cannot read <path> (<code>)`
 * to `problems` and returns undefined, so one start reports every unreadable file.
 */
export function readConfiguredFile(
  path: string,
  key: string,
  readFile: (path: string) => string,
  problems: string[],
): string | undefined {
  try {
    return readFile(path)
  } catch (error) {
    problems.push(`${key}: cannot read ${path} (${(error as NodeJS.ErrnoException).code})`)
    return undefined
  }
}
