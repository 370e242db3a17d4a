// Multi-process mode (server.workers > 1): workers share the listening port; the primary restarts crashed workers,
// serves the admin port for all of them (summed metrics, readiness of every worker) and stops them on shutdown.
import cluster, { type Worker } from 'node:cluster'
import { AggregatorRegistry } from 'prom-client'
import type { Config } from '../config/schema.js'
import type { Gateway } from '../gateway.js'
import { adminHandler, opsRoutes } from '../observability/health.js'
import type { Logger } from '../observability/logger.js'
import { EXIT_CONFIG } from './exit-codes.js'
import { listen, type RunningServer } from './listen.js'
import { adminListener } from './serve.js'

const READY_MESSAGE = 'kafka-rest-gateway:ready'
/** How often a worker looks at its own readiness (it reports changes only). */
const READY_CHECK_MS = 500
/** A worker that does not exit this long after the shutdown grace period is killed. */
const EXIT_MARGIN_MS = 5_000

export interface Primary {
  admin: RunningServer | undefined
  /** Passes a signal on to every worker (SIGHUP: reload the upstream keys). */
  signal(name: NodeJS.Signals): void
  /** Sends SIGTERM to every worker, waits for them to drain and exit, closes the admin port. */
  stop(): Promise<void>
}

/**
 * `onWorkerCannotStart`: a worker exited with the configuration exit code (a port in use, an unreadable file). Starting
 * another would fail the same way, forever: the other workers are stopped, then this is called.
 */
export async function startPrimary(config: Config, logger: Logger, onWorkerCannotStart: () => void): Promise<Primary> {
  const ready = new Map<number, boolean>()
  let stopping = false
  let admin: RunningServer | undefined
  const workers = () => Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined)
  const stop = async () => {
    stopping = true
    await Promise.all(workers().map((worker) => stopWorker(worker, config.server.shutdownGraceMs + EXIT_MARGIN_MS)))
    await admin?.close(0)
  }
  const fork = () => {
    const worker = cluster.fork()
    worker.on('message', (message: { type?: string; ready?: boolean }) => {
      if (message?.type === READY_MESSAGE) ready.set(worker.id, message.ready === true)
    })
  }
  cluster.on('exit', (worker, code, signal) => {
    ready.delete(worker.id)
    if (stopping) return
    if (code === EXIT_CONFIG) {
      logger.error({ worker: worker.process.pid, code }, 'worker cannot start (its error is above); stopping')
      void stop().then(onWorkerCannotStart)
      return
    }
    logger.error({ worker: worker.process.pid, code, signal }, 'worker exited; starting a new one')
    fork()
  })
  for (let i = 0; i < config.server.workers; i++) fork()

  const readyCount = () => [...ready.values()].filter(Boolean).length
  const checks = [
    {
      name: 'workers',
      check: () =>
        readyCount() === config.server.workers ? undefined : `${readyCount()} of ${config.server.workers} ready`,
    },
  ]
  const aggregator = new AggregatorRegistry()
  const metrics = { contentType: aggregator.contentType, metrics: () => aggregator.clusterMetrics() }
  const adminPort = config.server.adminPort
  admin =
    adminPort === undefined
      ? undefined
      : await listen(adminHandler(opsRoutes(checks, metrics)), adminListener(config.server, adminPort))

  return {
    admin,
    signal: (name) => {
      for (const worker of workers()) worker.process.kill(name)
    },
    stop,
  }
}

function stopWorker(worker: Worker, killAfterMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (worker.isDead()) return resolve()
    const kill = setTimeout(() => worker.process.kill('SIGKILL'), killAfterMs)
    worker.once('exit', () => {
      clearTimeout(kill)
      resolve()
    })
    worker.process.kill('SIGTERM')
  })
}

/** In a worker: lets the primary aggregate this gateway's metrics and follow its readiness. */
export function reportToPrimary(gateway: Gateway, send: (message: object) => void): () => void {
  // Constructing one installs prom-client's worker-side listener; setRegistries says which registry it answers with.
  new AggregatorRegistry()
  void gateway.metrics.registry().then((registry) => AggregatorRegistry.setRegistries([registry]))
  let last: boolean | undefined
  const report = () => {
    const ready = gateway.isReady()
    if (ready !== last) send({ type: READY_MESSAGE, ready })
    last = ready
  }
  const timer = setInterval(report, READY_CHECK_MS)
  timer.unref()
  report()
  return () => clearInterval(timer)
}
