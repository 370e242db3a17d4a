#!/usr/bin/env node
// The gateway process: load the config, serve (or run the workers), drain on SIGTERM/SIGINT, exit 0. Only this file
// touches `process`.
import cluster from 'node:cluster'
import { readFileSync } from 'node:fs'
import { ConfigError, loadConfig } from '../config/load.js'
import type { Config } from '../config/schema.js'
import { createLogger, type Logger } from '../observability/logger.js'
import { reportToPrimary, startPrimary } from './cluster.js'
import { serve } from './serve.js'

async function main(): Promise<void> {
  const config = loadConfig({ argv: process.argv.slice(2), env: process.env, readFile: (p) => readFileSync(p, 'utf8') })
  if (config.server.workers > 1 && cluster.isPrimary) return runPrimary(config)
  const serving = await serve(config, {}, cluster.isPrimary)
  const { gateway } = serving
  if (cluster.isWorker) reportToPrimary(gateway, (message) => process.send?.(message))
  gateway.logger.info(
    {
      url: serving.server.url,
      admin: serving.admin?.url,
      upstream: new URL(config.upstream.url).origin,
      ...(cluster.isWorker ? { worker: process.pid } : {}),
    },
    'kafka-rest-gateway listening',
  )
  onStopSignal(gateway.logger, config, () => serving.stop())
  process.on('SIGHUP', () => gateway.reload())
}

async function runPrimary(config: Config): Promise<void> {
  const logger = createLogger(config.log)
  const primary = await startPrimary(config, logger)
  logger.info({ workers: config.server.workers, admin: primary.admin?.url }, 'kafka-rest-gateway primary started')
  onStopSignal(logger, config, () => primary.stop())
  process.on('SIGHUP', () => primary.signal('SIGHUP'))
}

/** The first SIGTERM/SIGINT drains and exits 0; a second one (`once`) stops the process at once, like Ctrl+C twice. */
function onStopSignal(logger: Logger, config: Config, stop: () => Promise<void>): void {
  let stopping = false
  const onSignal = (signal: string) => {
    // In cluster mode Ctrl+C reaches a worker twice (from the terminal and from the primary): one drain only.
    if (stopping) return
    stopping = true
    logger.info({ signal, graceMs: config.server.shutdownGraceMs }, 'shutting down: draining in-flight requests')
    void stop().then(() => {
      logger.info('stopped')
      process.exit(0)
    })
  }
  process.once('SIGTERM', () => onSignal('SIGTERM'))
  process.once('SIGINT', () => onSignal('SIGINT'))
}

main().catch((error: unknown) => {
  // Config problems are the user's to fix: print them plainly, no stack.
  const message = error instanceof ConfigError || /^config error:/.test(String((error as Error)?.message))
  process.stderr.write(`${message ? (error as Error).message : ((error as Error)?.stack ?? String(error))}\n`)
  process.exit(2)
})
