// `npm start`: runs what `npm run build` produced, never builds. Without a build: one line saying what to run.
import { existsSync } from 'node:fs'

const entry = new URL('../dist/process/main.js', import.meta.url)
if (!existsSync(entry)) {
  process.stderr.write('kafka-rest-gateway is not built (no dist/process/main.js): run `npm run build` first\n')
  process.exit(1)
}
await import(entry.href)
