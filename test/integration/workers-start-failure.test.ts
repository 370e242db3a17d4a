// With GATEWAY_WORKERS, a worker that cannot start (here: its port is taken) stops the whole gateway with its one-line
// reason and exit code 2, instead of the primary restarting workers that fail the same way forever.
import { once } from 'node:events'
import net, { type AddressInfo } from 'node:net'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { runEntry } from '../support/processes.js'
import { type RedisServer, startRedis } from '../support/redis.js'

let redis: RedisServer
let holder: net.Server
beforeAll(async () => {
  redis = await startRedis()
  holder = net.createServer().listen(0, '127.0.0.1')
  await once(holder, 'listening')
})
afterAll(async () => {
  holder.close()
  await redis.close()
})

it('stops with exit code 2 and one line naming the port when the workers cannot listen', async () => {
  const { port } = holder.address() as AddressInfo
  const started = runEntry('src/process/main.ts', {
    GATEWAY_HOST: '127.0.0.1',
    GATEWAY_PORT: String(port),
    GATEWAY_WORKERS: '2',
    GATEWAY_REDIS_URL: redis.url,
    GATEWAY_UPSTREAM_URL: 'http://127.0.0.1:9',
    GATEWAY_UPSTREAM_API_KEY: 'key',
    GATEWAY_JWKS_URL: 'http://127.0.0.1:9/jwks',
    GATEWAY_JWT_ISSUER: 'https://issuer.example/',
    GATEWAY_JWT_AUDIENCE: 'kafka',
  })
  expect(await started.exited).toBe(2)
  expect(started.output()).toContain(
    `kafka-rest-gateway: cannot listen on 127.0.0.1:${port}: it is already in use by another process; change server.port (GATEWAY_PORT)`,
  )
  expect(started.output()).toContain('worker cannot start')
  expect(started.output()).not.toContain('starting a new one')
})
