// npm runs this on `npm install` in a checkout, on a git install and before `npm pack`, so each gets a built dist/.
// A production-only install has no TypeScript: it keeps the dist/ it was given (the image copies one in) and says so.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'

try {
  createRequire(import.meta.url).resolve('typescript')
} catch {
  process.stderr.write('kafka-rest-gateway: no TypeScript here (production-only install): dist/ left as it is\n')
  process.exit(0)
}
const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' })
process.exit(build.status ?? 1)
