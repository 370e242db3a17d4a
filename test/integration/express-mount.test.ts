// The gateway as a middleware inside the user's own Express 5 app, under a path prefix.
import express from 'express'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createGateway } from '../../src/gateway.js'
import { listen, type RunningServer } from '../../src/listen.js'
import { expectRefusal } from '../support/refusal.js'
import { type Stack, startStack } from '../support/stack.js'

let stack: Stack
let app: RunningServer

beforeAll(async () => {
  stack = await startStack()
  const gateway = createGateway({ ...stack.config, server: { ...stack.config.server, publicUrl: undefined } })
  const userApp = express()
  userApp.get('/hello', (_req, res) => {
    res.json({ hello: 'world' })
  })
  userApp.use('/kafka', gateway.handler)
  app = await listen(userApp, { host: '127.0.0.1', port: 0 })
})
afterAll(async () => {
  await app.close()
  await stack.close()
})

it('serves its own routes and proxies /kafka/* to the REST proxy with the path prefix removed', async () => {
  expect(await (await fetch(`${app.url}/hello`)).json()).toEqual({ hello: 'world' })
  stack.emulator.clearRequests()
  const res = await fetch(`${app.url}/kafka/brokers`, { headers: { authorization: `Bearer ${await stack.token()}` } })
  expect(res.status).toBe(200)
  expect(stack.emulator.requests.map((r) => r.url)).toEqual(['/brokers'])
})

it('refuses requests without a token with its own 401', async () => {
  const res = await fetch(`${app.url}/kafka/topics`)
  expect(res.headers.get('www-authenticate')).toBe('Bearer realm="kafka-rest-gateway"')
  await expectRefusal(res, 'TOKEN_MISSING')
})
