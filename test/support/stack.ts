// Starts the real parts on port 0 for a test: Kafka REST emulator, local JWKS issuer and the gateway between them.
import { randomBytes } from 'node:crypto'
import { expect } from 'vitest'
import { type Config, type ConfigInput, configSchema } from '../../src/config/schema.js'
import { type LocalIssuer, type LocalIssuerOptions, startLocalIssuer } from '../../src/dev/local-issuer.js'
import { type Emulator, type EmulatorOptions, startEmulator } from '../../src/emulator/kafka-rest-emulator.js'
import { createGateway, type Gateway, type GatewayDeps } from '../../src/gateway.js'
import { listen, type RunningServer } from '../../src/process/listen.js'
import { b64, V2_BINARY } from './http.js'

export interface Stack {
  url: string
  apiKey: string
  emulator: Emulator
  issuer: LocalIssuer
  gateway: Gateway
  server: RunningServer
  config: Config
  /** A valid token for `sub` (default `alice`). */
  token(sub?: string, claims?: Record<string, unknown>): Promise<string>
  close(): Promise<void>
}

export interface StackOptions {
  /** Changes applied to the config input before validation. */
  configure?: (input: ConfigInput, parts: { emulator: Emulator; issuer: LocalIssuer }) => ConfigInput
  deps?: GatewayDeps
  /** Options of the local token issuer (e.g. `demoTokens` for the example browser app). */
  issuer?: LocalIssuerOptions
  /** Emulator behaviours (compressed answers, Jetty-like idle closes); the API key is the stack's. */
  emulator?: Omit<EmulatorOptions, 'apiKeys'>
}

export function baseConfig(upstreamUrl: string, apiKey: string, issuer: LocalIssuer): ConfigInput {
  return {
    server: { host: '127.0.0.1', port: 0 },
    upstream: { url: upstreamUrl, keys: { default: { value: apiKey } } },
    auth: { issuers: [{ issuer: issuer.issuer, audience: issuer.audience, jwksUrl: issuer.jwksUrl }] },
    log: { level: 'silent' },
  }
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const apiKey = `upstream-key-${randomBytes(8).toString('hex')}`
  const [emulator, issuer] = await Promise.all([
    startEmulator({ ...options.emulator, apiKeys: [apiKey] }),
    startLocalIssuer(options.issuer),
  ])
  const input = baseConfig(emulator.url, apiKey, issuer)
  const config = configSchema.parse(options.configure ? options.configure(input, { emulator, issuer }) : input)
  const gateway = createGateway(config, options.deps)
  await gateway.warmUp()
  const server = await listen(gateway.handler, config.server, {
    logger: gateway.logger,
    onRefusal: (error) => gateway.metrics.refused(error),
  })
  return {
    url: server.url,
    apiKey,
    emulator,
    issuer,
    gateway,
    server,
    config,
    token: (sub = 'alice', claims = {}) => issuer.mint({ sub, ...claims }),
    async close() {
      await server.close()
      await gateway.close()
      await Promise.all([emulator.close(), issuer.close()])
    },
  }
}

/** Makes each topic exist upstream, holding one record `first record of <topic>`: produced to the emulator directly. */
export async function seedTopics(stack: Stack, topics: readonly string[]): Promise<void> {
  for (const topic of topics) {
    const res = await fetch(`${stack.emulator.url}/topics/${topic}`, {
      method: 'POST',
      headers: { 'x-auth-token': stack.apiKey, 'content-type': V2_BINARY },
      body: JSON.stringify({ records: [{ value: b64(`first record of ${topic}`) }] }),
    })
    expect(res.status).toBe(200)
  }
}
