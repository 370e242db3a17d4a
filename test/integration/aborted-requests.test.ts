// A client that goes away frees its upstream request, at scale: 10,000 clients that go away mid-download leave no upstream request, socket or memory behind.

import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { abortFlood } from '../support/abort-flood.js'
import { eventually } from '../support/eventually.js'
import { type FaultUpstream, startFaultUpstream } from '../support/fault-upstream.js'
import { type Stack, startStack } from '../support/stack.js'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

let upstream: FaultUpstream
let stack: Stack
let request: string

beforeAll(async () => {
  upstream = await startFaultUpstream({ record: false })
  stack = await startStack({
    configure: (input) => ({
      ...input,
      upstream: { ...input.upstream, url: upstream.url, timeoutMs: 60_000 },
      rateLimit: { enabled: false }, // one caller sends 10,500 requests here
    }),
  })
  request = `GET /drip HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer ${await stack.token()}\r\n\r\n`
})
afterAll(async () => {
  await stack.close()
  await upstream.close()
})

const gatewayConnections = () =>
  new Promise<number>((resolve, reject) =>
    stack.server.server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
  )

/** Waits until no upstream request and no client connection is left, then measures after a full GC. */
async function settledState() {
  await eventually(async () => upstream.open() === 0 && (await gatewayConnections()) === 0, { timeoutMs: 10_000 })
  gc()
  return { heap: process.memoryUsage().heapUsed, handles: process.getActiveResourcesInfo().length }
}

it('aborts every upstream request and returns to the same sockets, handles and heap after 10,000 aborts', {
  timeout: 90_000,
}, async () => {
  await abortFlood(stack.url, request, 500) // warm-up: JIT, agent, token cache
  const before = await settledState()
  const abortedBefore = upstream.aborted()

  await abortFlood(stack.url, request, 10_000)

  const after = await settledState()
  expect(upstream.aborted() - abortedBefore).toBe(10_000)
  expect(after.handles).toBeLessThanOrEqual(before.handles + 10)
  expect(after.heap - before.heap).toBeLessThan(5 * 1024 * 1024) // 500 bytes kept per request would show
})
