// Runs the gateway's entry points as child processes, exactly as users start them, and reads their output.
import { type ChildProcess, spawn } from 'node:child_process'
import { eventually } from './eventually.js'

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

/** What a gateway process is put in front of: an upstream with its key, and one token issuer. */
export interface GatewayPeers {
  upstreamUrl: string
  apiKey: string
  issuer: { jwksUrl: string; issuer: string; audience: string }
}

/** The GATEWAY_* variables of a gateway on a free loopback port in front of `peers`, plus `extra`. */
export function gatewayEnv({ upstreamUrl, apiKey, issuer }: GatewayPeers, extra: NodeJS.ProcessEnv = {}) {
  return {
    GATEWAY_HOST: '127.0.0.1',
    GATEWAY_PORT: '0',
    GATEWAY_UPSTREAM_URL: upstreamUrl,
    GATEWAY_UPSTREAM_API_KEY: apiKey,
    GATEWAY_JWKS_URL: issuer.jwksUrl,
    GATEWAY_JWT_ISSUER: issuer.issuer,
    GATEWAY_JWT_AUDIENCE: issuer.audience,
    ...extra,
  }
}

/** The URL a started gateway logs once it listens. */
export async function listeningUrl(gateway: Started, timeoutMs = 15_000): Promise<string> {
  return eventually(() => /"url":"(http:[^"]+)"/.exec(gateway.output())?.[1], { timeoutMs }) as Promise<string>
}
