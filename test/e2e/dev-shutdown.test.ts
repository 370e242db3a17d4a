// `npm run dev` stops cleanly however it is stopped: SIGTERM to the npm process (an IDE's stop button, a supervisor)
// and Ctrl+C (SIGINT to the terminal's process group) both leave no process behind and every port free.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import net from 'node:net'
import { afterEach, expect, it } from 'vitest'
import { eventually } from '../support/eventually.js'

let npm: ChildProcess | undefined

/** Starts `npm run dev` in its own process group (like a terminal's foreground job); resolves with the ports it printed. */
async function startNpmDev(): Promise<{ group: number; ports: number[] }> {
  const child = spawn('npm', ['run', 'dev'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, GATEWAY_PORT: '0', GATEWAY_LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  npm = child
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  await eventually(() => output.includes('Press Ctrl+C'), { timeoutMs: 60_000 })
  const banner = output.slice(0, output.indexOf('!!'))
  const ports = [...new Set([...banner.matchAll(/http:\/\/127\.0\.0\.1:(\d+)/g)].map((match) => Number(match[1])))]
  expect(ports).toHaveLength(4) // gateway, emulator, issuer, browser app
  return { group: child.pid as number, ports }
}

const groupAlive = (group: number) => {
  try {
    process.kill(-group, 0)
    return true
  } catch {
    return false
  }
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', () => resolve(true))
  })
}

afterEach(() => {
  // Only if a test failed half-way: never leave the group running.
  if (npm?.pid && groupAlive(npm.pid)) process.kill(-npm.pid, 'SIGKILL')
})

it.each([
  ['SIGTERM to the npm process', (child: ChildProcess) => child.kill('SIGTERM')],
  [
    'Ctrl+C (SIGINT to the whole process group)',
    (child: ChildProcess) => process.kill(-(child.pid as number), 'SIGINT'),
  ],
])('stops on %s: no process left, every port free', async (_how, stop) => {
  const { group, ports } = await startNpmDev()
  for (const port of ports) expect(await refused(port)).toBe(false)
  const exited = once(npm as ChildProcess, 'exit')
  stop(npm as ChildProcess)
  await exited
  await eventually(() => !groupAlive(group), { timeoutMs: 15_000 })
  for (const port of ports) expect(await refused(port)).toBe(true)
})
