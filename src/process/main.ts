#!/usr/bin/env node
// The gateway process: read the command line and the config, check what it points to, serve (or run the workers),
// drain on SIGTERM/SIGINT, exit 0. Only this file touches `process`.
import cluster from 'node:cluster'
import { readFileSync } from 'node:fs'
import { ConfigError } from '../config/config-error.js'
import { loadConfig } from '../config/load.js'
import type { Config } from '../config/schema.js'
import { createLogger, type Logger } from '../observability/logger.js'
import { parseCliArgs } from './cli-options.js'
import { EXIT_CONFIG, EXIT_FAILURE, EXIT_OK } from './exit-codes.js'
import { helpText } from './help.js'
import { listenProblem } from './listen-problem.js'
import { preflight } from './preflight.js'
import { serve } from './serve.js'

async function main(): Promise<void> {
  const parsed = parseCliArgs(process.argv.slice(2))
  if ('error' in parsed)
    return fail(`kafka-rest-gateway: ${parsed.error}\nRun kafka-rest-gateway --help for the options.`)
  const { options } = parsed
  if (options.help) return done(helpText(version()))
  if (options.version) return done(version())
  const readers = { env: process.env, readFile: (path: string) => readFileSync(path, 'utf8') }
  const config = loadConfig({ file: options.config, env: process.env, readFile: readers.readFile })
  preflight(config, readers)
  if (options.check) return done('configuration OK')
  try {
    if (config.server.workers > 1 && cluster.isPrimary) await runPrimary(config)
    else await runGateway(config)
  } catch (error) {
    const problem = listenProblem(error, config.server)
    if (problem) return fail(`kafka-rest-gateway: ${problem}`)
    throw error
  }
}

async function runGateway(config: Config): Promise<void> {
  const serving = await serve(config, {}, cluster.isPrimary)
  const { gateway } = serving
  if (cluster.isWorker) {
    const { reportToPrimary } = await import('./cluster.js')
    reportToPrimary(gateway, (message) => process.send?.(message))
  }
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
  // Loaded only with workers: it brings prom-client's cluster aggregation.
  const { startPrimary } = await import('./cluster.js')
  const primary = await startPrimary(config, logger, () => process.exit(EXIT_CONFIG))
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
      process.exit(EXIT_OK)
    })
  }
  process.once('SIGTERM', () => onSignal('SIGTERM'))
  process.once('SIGINT', () => onSignal('SIGINT'))
}

/** The package version; package.json sits two folders up from both src/process/ and dist/process/. */
function version(): string {
  return JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version
}

function done(text: string): void {
  process.stdout.write(`${text.trimEnd()}\n`)
  process.exit(EXIT_OK)
}

function fail(text: string): void {
  process.stderr.write(`${text}\n`)
  process.exit(EXIT_CONFIG)
}

main().catch((error: unknown) => {
  // Config problems are the user's to fix: print them plainly, no stack. Anything else is a bug worth its stack.
  if (error instanceof ConfigError) return fail(error.message)
  process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`)
  process.exit(EXIT_FAILURE)
})
