// The cap on concurrent long-poll consumes per subject: 429 past it, a slot back when a poll ends or its client leaves.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { eventually } from '../support/eventually.js'
import { V2_BINARY } from '../support/http.js'
import { type Stack, startStack } from '../support/stack.js'

/** An upstream that holds every consume poll until the test answers it, as a REST proxy waiting for records does. */
const held: http.ServerResponse[] = []
const upstream = http.createServer((_req, res) => {
  held.push(res)
})
let stack: Stack

beforeAll(async () => {
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`
  stack = await startStack({
    configure: (input) => ({
      ...input,
      upstream: { ...input.upstream, url },
      rateLimit: { consume: { maxConcurrent: 2 } },
      // The held upstream never creates the polled instance: ownership is not what this file tests.
      authz: { consumers: { ownership: false } },
    }),
  })
})
afterAll(async () => {
  for (const res of held) res.destroy()
  await stack.close()
  upstream.closeAllConnections()
  await new Promise((resolve) => upstream.close(resolve))
})

const answerHeld = () => {
  for (const res of held.splice(0)) res.end('[]')
}

/** A consume poll through the gateway; `abort` lets the test walk away from it. */
function poll(token: string, signal?: AbortSignal): Promise<Response> {
  return fetch(`${stack.url}/consumers/g/instances/i/records`, {
    headers: { authorization: `Bearer ${token}`, accept: V2_BINARY },
    signal,
  })
}

it('lets maxConcurrent polls wait upstream and refuses the next with 429 at once', async () => {
  const token = await stack.token('alice')
  const first = [poll(token), poll(token)]
  await eventually(() => held.length === 2)
  expect(stack.gateway.limits.stats.longPollsInFlight).toBe(2)
  const refused = await poll(token)
  expect(refused.status).toBe(429)
  expect(refused.headers.get('retry-after')).toBe('1')
  expect(refused.headers.get('ratelimit-policy')).toContain('"consume-concurrency";q=2;qu="concurrent-requests"')
  expect(await refused.json()).toMatchObject({ error_code: 42901, message: 'Too many consume requests in flight' })
  expect(held).toHaveLength(2)
  // Another subject has slots of its own.
  const other = poll(await stack.token('bob'))
  await eventually(() => held.length === 3)
  answerHeld()
  expect((await Promise.all([...first, other])).map((res) => res.status)).toEqual([200, 200, 200])
})

it('gives the slot back when a poll ends, so the next one goes through', async () => {
  const token = await stack.token('alice')
  const polls = [poll(token), poll(token)]
  await eventually(() => held.length === 2)
  answerHeld()
  await Promise.all(polls)
  const next = poll(token)
  await eventually(() => held.length === 1)
  answerHeld()
  expect((await next).status).toBe(200)
})

it('gives the slot back when the client walks away from a waiting poll', async () => {
  const token = await stack.token('carol')
  const leaving = new AbortController()
  const abandoned = poll(token, leaving.signal).catch(() => undefined)
  const staying = poll(token)
  await eventually(() => held.length === 2)
  leaving.abort()
  await abandoned
  // The gateway gives the slot back as soon as the client's connection closes.
  await eventually(() => stack.gateway.limits.stats.longPollsInFlight === 1)
  // The freed slot takes a third poll; without the release it would be refused.
  const third = poll(token)
  await eventually(() => held.length === 3)
  answerHeld()
  expect((await Promise.all([staying, third])).map((res) => res.status)).toEqual([200, 200])
  await eventually(() => stack.gateway.limits.stats.longPollsInFlight === 0)
})
