// `npm run dev`: the emulator, a local token issuer and the gateway in one process on 127.0.0.1, with ready-to-paste curls.
import { randomBytes } from 'node:crypto'
import { type Config, configSchema } from '../config/schema.js'
import { startEmulator } from '../emulator/kafka-rest-emulator.js'
import { createGateway } from '../gateway.js'
import { createLogger, type Logger } from '../observability/logger.js'
import { listen } from '../process/listen.js'
import { serveExampleApp } from './example-app.js'
import { DEMO_KINDS, startLocalIssuer } from './local-issuer.js'

/** Dev mode is for one machine: everything binds to loopback, whatever the environment says. */
const HOST = '127.0.0.1'

async function startDev(env: NodeJS.ProcessEnv): Promise<void> {
  const port = env.GATEWAY_PORT ? Number(env.GATEWAY_PORT) : 8080
  const apiKey = randomBytes(24).toString('base64url')
  const emulator = await startEmulator({ apiKeys: [apiKey], topics: { test: 1 } })
  const issuer = await startLocalIssuer({ demoTokens: true })
  // The example browser app gets its own origin (the port after the gateway's), and CORS allows exactly that origin.
  const app = await serveExampleApp({ host: HOST, port: port === 0 ? 0 : port + 1 })
  const config = configSchema.parse({
    // A short drain: Ctrl+C should not wait for a long poll.
    server: { host: HOST, port, shutdownGraceMs: 2000 },
    upstream: { url: emulator.url, keys: { default: { value: apiKey } } },
    // No key source: the gateway finds the issuer's keys by OIDC discovery, as with a real identity provider.
    auth: { issuers: [{ issuer: issuer.issuer, audience: issuer.audience }] },
    cors: { origins: [app.url] },
    log: { level: env.GATEWAY_LOG_LEVEL ?? 'info' },
  })
  const gateway = createGateway(config, { logger: await devLogger(config.log) })
  await gateway.warmUp()
  const server = await listen(gateway.handler, config.server)
  app.configure({ gatewayUrl: server.url, tokenUrl: `${issuer.url}/token` })
  const token = await issuer.mint({ sub: 'demo-user' }, { expiresIn: 3600 })
  process.stdout.write(banner({ gatewayUrl: server.url, emulatorUrl: emulator.url, issuerUrl: issuer.url, app, token }))

  let stopping = false
  const stop = async () => {
    // A second Ctrl+C stops at once.
    if (stopping) process.exit(130)
    stopping = true
    await server.close()
    await gateway.close()
    await Promise.all([emulator.close(), issuer.close(), app.close()])
    process.exit(0)
  }
  // SIGHUP: the terminal went away.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop())
}

/** Readable lines on a terminal (pino-pretty, a dev dependency), JSON lines when the output goes to a file or a pipe. */
async function devLogger(log: Config['log']): Promise<Logger> {
  if (!process.stdout.isTTY) return createLogger(log)
  const { default: pretty } = await import('pino-pretty')
  return createLogger(
    log,
    pretty({ colorize: true, singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', sync: true }),
  )
}

interface BannerParts {
  gatewayUrl: string
  emulatorUrl: string
  issuerUrl: string
  app: { url: string }
  token: string
}

function banner({ gatewayUrl, emulatorUrl, issuerUrl, app, token }: BannerParts): string {
  const value = Buffer.from('hello from kafka-rest-gateway').toString('base64')
  const refusedKinds = Object.keys(DEMO_KINDS).filter((kind) => kind !== 'valid')
  return `
kafka-rest-gateway DEV MODE (everything below runs in this one process, on ${HOST} only)
  gateway            ${gatewayUrl}
  upstream           Kafka REST emulator at ${emulatorUrl} (its API key is random and only the gateway knows it)
  token issuer       ${issuerUrl}  (OIDC discovery: ${issuerUrl}/.well-known/openid-configuration)
  browser app        ${app.url}/  (its own origin; the gateway's CORS allows exactly this one)
  !! The local token issuer hands out tokens to anyone who can reach it: it is for local use only. !!
  !! Production (\`npm start\`) never starts it.                                                        !!

Demo token (sub=demo-user, valid for 1 hour). Paste this line first; the curl lines below use $TOKEN:
export TOKEN=${token}

Produce one binary record (v1, as in the Message Hub docs):
curl -s -X POST -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/vnd.kafka.binary.v1+json" ${gatewayUrl}/topics/test -d '{"records":[{"value":"${value}"}]}'

Consume it back (value is base64):
curl -s -H "Authorization: Bearer $TOKEN" -H "Accept: application/vnd.kafka.binary.v1+json" "${gatewayUrl}/topics/test/partitions/0/messages?offset=0"

Without a token (401):
curl -si ${gatewayUrl}/topics

Tokens the gateway refuses, to see the 401 and its reason (kind=${refusedKinds.join(', kind=')}):
export TOKEN=$(curl -s "${issuerUrl}/token?kind=expired&format=text")
curl -si -H "Authorization: Bearer $TOKEN" ${gatewayUrl}/topics
A good token again (sub= sets the subject):
export TOKEN=$(curl -s "${issuerUrl}/token?sub=demo-user&format=text")

Example browser app: open ${app.url}/ and press "Send and read back" (produce, v2 consumer, read it back, delete).

Press Ctrl+C to stop.
`
}

startDev(process.env).catch((error: unknown) => {
  process.stderr.write(`dev mode failed to start: ${(error as Error).message}\n`)
  process.exit(1)
})
