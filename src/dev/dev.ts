// `npm run dev`: the emulator, a local token issuer and the gateway in one process on 127.0.0.1, with ready-to-paste curls.
import { randomBytes } from 'node:crypto'
import { configSchema } from '../config/schema.js'
import { startEmulator } from '../emulator/kafka-rest-emulator.js'
import { createGateway } from '../gateway.js'
import { listen } from '../process/listen.js'
import { serveExampleApp } from './example-app.js'
import { startLocalIssuer } from './local-issuer.js'

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
    server: { host: HOST, port },
    upstream: { url: emulator.url, keys: { default: { value: apiKey } } },
    auth: { issuers: [{ issuer: issuer.issuer, audience: issuer.audience, jwksUrl: issuer.jwksUrl }] },
    cors: { origins: [app.url] },
    log: { level: env.GATEWAY_LOG_LEVEL ?? 'info' },
  })
  const gateway = createGateway(config)
  await gateway.warmUp()
  const server = await listen(gateway.handler, config.server)
  app.configure({ gatewayUrl: server.url, tokenUrl: `${issuer.url}/token` })
  const token = await issuer.mint({ sub: 'demo-user' }, { expiresIn: 3600 })
  process.stdout.write(banner(server.url, emulator.url, issuer.url, app.url, token))

  const stop = async () => {
    await server.close()
    await gateway.close()
    await Promise.all([emulator.close(), issuer.close(), app.close()])
    process.exit(0)
  }
  process.once('SIGINT', () => void stop())
  process.once('SIGTERM', () => void stop())
}

function banner(gatewayUrl: string, emulatorUrl: string, issuerUrl: string, appUrl: string, token: string): string {
  const value = Buffer.from('hello from kafka-rest-gateway').toString('base64')
  return `
kafka-rest-gateway DEV MODE (everything below runs in this one process, on ${HOST} only)
  gateway            ${gatewayUrl}
  upstream           Kafka REST emulator at ${emulatorUrl} (its API key is random and only the gateway knows it)
  token issuer       ${issuerUrl}  JWKS ${issuerUrl}/.well-known/jwks.json
  browser app        ${appUrl}/  (its own origin; the gateway's CORS allows exactly this one)
  !! The local token issuer hands out tokens to anyone who can reach it: it is for local use only. !!
  !! Production (\`npm start\`) never starts it.                                                        !!

Demo token (sub=demo-user, valid for 1 hour):
TOKEN=${token}

Produce one binary record (v1, as in the Message Hub docs):
curl -s -X POST -H "Authorization: Bearer ${token}" -H "Content-Type: application/vnd.kafka.binary.v1+json" ${gatewayUrl}/topics/test -d '{"records":[{"value":"${value}"}]}'

Consume it back (value is base64):
curl -s -H "Authorization: Bearer ${token}" -H "Accept: application/vnd.kafka.binary.v1+json" "${gatewayUrl}/topics/test/partitions/0/messages?offset=0"

Without a token (401):
curl -si ${gatewayUrl}/topics

Example browser app: open ${appUrl}/ and press "Send and read back" (produce, v2 consumer, read it back, delete).

Press Ctrl+C to stop.
`
}

startDev(process.env).catch((error: unknown) => {
  process.stderr.write(`dev mode failed to start: ${(error as Error).message}\n`)
  process.exit(1)
})
