// A real redis-server for tests: free port, temp dir, ready when it answers PING, stopped (and restartable) by PID.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import net, { type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eventually } from './eventually.js'

export interface RedisServer {
  url: string
  port: number
  /** Stops the server (SIGKILL: an outage, not a shutdown). */
  stop(): Promise<void>
  /** Starts it again on the same port, empty. */
  start(): Promise<void>
  /** Freezes the server (SIGSTOP): connections stay open, commands wait in its socket buffer, unanswered. */
  pause(): void
  /** Lets a paused server run again (SIGCONT): it then executes whatever commands were waiting. */
  resume(): void
  close(): Promise<void>
}

const INSTALL_HINT =
  'redis-server is not installed: run `bash scripts/ensure-system-deps.sh` (npm test does) or `apt-get install redis-server`'

export interface RedisOptions {
  /** A one-node Redis Cluster owning every slot: multi-key scripts fail with CROSSSLOT unless keys share a hash tag. */
  cluster?: boolean
}

export async function startRedis({ cluster = false }: RedisOptions = {}): Promise<RedisServer> {
  if (spawnSync('redis-server', ['--version']).error) throw new Error(INSTALL_HINT)
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'gateway-redis-'))
  let child: ChildProcess | undefined

  const start = async () => {
    // No persistence: a restart is an empty Redis, like a lost cache node.
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no']
    if (cluster) {
      // A lone node does not know its own address; without announcing it, clients are sent to "".
      args.push('--cluster-enabled', 'yes', '--cluster-config-file', join(dir, 'nodes.conf'))
      args.push('--cluster-announce-ip', '127.0.0.1')
    }
    const started = spawn('redis-server', args, { stdio: 'ignore' })
    child = started
    await new Promise<void>((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(new Error(`redis-server exited with ${code} before answering PING`))
      started.once('exit', onExit)
      eventually(() => ping(port), { timeoutMs: 10_000 }).then(() => {
        started.off('exit', onExit)
        resolve()
      }, reject)
    })
    if (!cluster) return
    await send(port, ['CLUSTER', 'ADDSLOTSRANGE', '0', '16383'])
    await eventually(async () => (await send(port, ['CLUSTER', 'INFO'])).includes('cluster_state:ok'), {
      timeoutMs: 15_000,
    })
  }
  const stop = async () => {
    const running = child
    child = undefined
    if (!running || running.exitCode !== null) return
    const exited = new Promise((resolve) => running.once('exit', resolve))
    process.kill(running.pid as number, 'SIGKILL')
    await exited
  }

  const signal = (name: NodeJS.Signals) => {
    if (child?.pid === undefined) throw new Error('redis-server is not running')
    process.kill(child.pid, name)
  }

  await start()
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    start,
    pause: () => signal('SIGSTOP'),
    resume: () => signal('SIGCONT'),
    async close() {
      if (child?.exitCode === null) signal('SIGCONT')
      await stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      server.close(() => resolve(port))
    })
  })
}

/** True when the server answers PONG. */
async function ping(port: number): Promise<boolean> {
  return (await send(port, ['PING']).catch(() => '')).startsWith('+PONG')
}

/** One command in RESP on a fresh connection; resolves with the raw reply once it looks complete. */
function send(port: number, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1')
    let reply = ''
    socket.on('connect', () =>
      socket.write(`*${args.length}\r\n${args.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`),
    )
    socket.on('data', (chunk) => {
      reply += chunk.toString()
      // Simple replies end at the first CRLF; a bulk reply ($n) once its n bytes are in.
      const bulk = /^\$(\d+)\r\n/.exec(reply)
      if (bulk ? reply.length >= bulk[0].length + Number(bulk[1]) + 2 : reply.includes('\r\n')) {
        socket.destroy()
        resolve(reply)
      }
    })
    socket.on('error', reject)
  })
}
