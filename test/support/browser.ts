// Debian's Chromium driven by playwright-core: headless, no sandbox, no background traffic, a fresh profile per launch.
import { execFileSync } from 'node:child_process'
import { type Browser, chromium } from 'playwright-core'

/** What the machine's closed network needs: without the background-networking switches Chromium dials out at start. */
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Debian's `chromium` on PATH; missing is a failure with the fix, never a skip. */
export function chromiumPath(): string {
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim()
  } catch {
    throw new Error(
      'Debian chromium is not installed, so the browser tests cannot run. Install it with ' +
        '`bash scripts/ensure-system-deps.sh` (run by `npm test`) or `apt-get install chromium`.',
    )
  }
}

/**
 * One browser per test file. Playwright gives every launch its own new, empty `--user-data-dir` (a temporary profile it
 * deletes on close; it refuses one passed in `args`), so no state survives between files or runs.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: ARGS })
}
