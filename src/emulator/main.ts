// Standalone emulator (`npm run emulator`): EMULATOR_PORT (default 8082), EMULATOR_API_KEYS (required, comma list).
import { startEmulator } from './kafka-rest-emulator.js'

function apiKeysFromEnv(): string[] {
  const keys = (process.env.EMULATOR_API_KEYS ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key !== '')
  if (keys.length === 0) {
    console.error('EMULATOR_API_KEYS is required: a comma-separated list of accepted X-Auth-Token values')
    process.exit(2)
  }
  return keys
}

function portFromEnv(): number {
  const raw = process.env.EMULATOR_PORT ?? '8082'
  const port = Number(raw)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`EMULATOR_PORT must be an integer between 0 and 65535, got ${JSON.stringify(raw)}`)
    process.exit(2)
  }
  return port
}

const emulator = await startEmulator({ apiKeys: apiKeysFromEnv(), port: portFromEnv() })
console.log(`Kafka REST emulator listening on ${emulator.url}`)

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  })
}
