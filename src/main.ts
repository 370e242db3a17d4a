#!/usr/bin/env node
// The gateway process: load the config, start the server, drain on SIGTERM/SIGINT. The only file that uses `process`.
import { readFileSync } from 'node:fs'
import { ConfigError, loadConfig } from './config/load.js'
import { createGateway } from './gateway.js'
import { listen } from './listen.js'

async function main(): Promise<void> {
  const config = loadConfig({ argv: process.argv.slice(2), env: process.env, readFile: (p) => readFileSync(p, 'utf8') })
  const gateway = createGateway(config)
  const running = await listen(gateway.handler, config.server)
  gateway.logger.info({ url: running.url, upstream: config.upstream.url }, 'kafka-rest-gateway listening')
  void gateway.warmUp()
  const stop = async (signal: string) => {
    gateway.logger.info({ signal }, 'shutting down')
    await running.close()
    await gateway.close()
    process.exit(0)
  }
  process.once('SIGTERM', () => void stop('SIGTERM'))
  process.once('SIGINT', () => void stop('SIGINT'))
  process.on('SIGHUP', () => gateway.reload())
}

main().catch((error: unknown) => {
  // Config problems are the user's to fix: print them plainly, no stack.
  const message = error instanceof ConfigError || /^config error:/.test(String((error as Error)?.message))
  process.stderr.write(`${message ? (error as Error).message : ((error as Error)?.stack ?? String(error))}\n`)
  process.exit(2)
})
