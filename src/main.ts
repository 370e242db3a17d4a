#!/usr/bin/env node
// The gateway process: load the config, serve, drain on SIGTERM/SIGINT and exit 0. The only file that uses `process`.
import { readFileSync } from 'node:fs'
import { ConfigError, loadConfig } from './config/load.js'
import { serve } from './server/serve.js'

async function main(): Promise<void> {
  const config = loadConfig({ argv: process.argv.slice(2), env: process.env, readFile: (p) => readFileSync(p, 'utf8') })
  const serving = await serve(config)
  const { logger } = serving.gateway
  logger.info(
    { url: serving.server.url, admin: serving.admin?.url, upstream: new URL(config.upstream.url).origin },
    'kafka-rest-gateway listening',
  )
  // A second signal during the drain is not caught (`once`): it stops the process at once, as users expect of Ctrl+C twice.
  const stop = async (signal: string) => {
    logger.info({ signal, graceMs: config.server.shutdownGraceMs }, 'shutting down: draining in-flight requests')
    await serving.stop()
    logger.info('stopped')
    process.exit(0)
  }
  process.once('SIGTERM', () => void stop('SIGTERM'))
  process.once('SIGINT', () => void stop('SIGINT'))
  process.on('SIGHUP', () => serving.gateway.reload())
}

main().catch((error: unknown) => {
  // Config problems are the user's to fix: print them plainly, no stack.
  const message = error instanceof ConfigError || /^config error:/.test(String((error as Error)?.message))
  process.stderr.write(`${message ? (error as Error).message : ((error as Error)?.stack ?? String(error))}\n`)
  process.exit(2)
})
