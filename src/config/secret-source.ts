// Reads a secret given as { value }, { env } or { file }; errors name the source, never the secret.
import type { SecretSource } from './schema.js'

export interface SecretReaders {
  env: Readonly<Record<string, string | undefined>>
  readFile: (path: string) => string
}

export function readSecret(source: SecretSource, readers: SecretReaders): string {
  if ('value' in source) return source.value
  if ('env' in source) {
    const value = readers.env[source.env]
    if (!value) throw new Error(`environment variable ${source.env} is empty or not set`)
    return value
  }
  // Files written by editors and `echo` end with a newline that is not part of the key.
  let text: string
  try {
    text = readers.readFile(source.file)
  } catch (error) {
    throw new Error(`cannot read file ${source.file} (${(error as NodeJS.ErrnoException).code ?? error})`)
  }
  const value = text.trim()
  if (!value) throw new Error(`file ${source.file} is empty`)
  return value
}
