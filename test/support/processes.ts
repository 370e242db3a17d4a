// Runs the gateway's entry points as child processes, exactly as users start them, and reads their output.
import { type ChildProcess, spawn } from 'node:child_process'

export interface Started {
  child: ChildProcess
  output(): string
  /** Resolves with the exit code. */
  exited: Promise<number | null>
  /** Sends SIGTERM and waits for the exit. */
  stop(): Promise<number | null>
}

/** `entry` is a TypeScript file run through tsx, as `npm run dev` does. */
export function runEntry(entry: string, env: NodeJS.ProcessEnv = {}, args: string[] = []): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return {
    child,
    output: () => output,
    exited,
    stop: () => {
      if (child.exitCode === null) child.kill('SIGTERM')
      return exited
    },
  }
}
