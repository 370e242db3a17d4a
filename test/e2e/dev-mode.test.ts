// `npm run dev` on a fresh machine: the printed token and curl lines work when pasted.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { eventually } from '../support/eventually.js'
import { runEntry, type Started } from '../support/processes.js'

const exec = promisify(execFile)
let dev: Started

beforeAll(async () => {
  dev = runEntry('src/dev/dev.ts', { GATEWAY_PORT: '0', GATEWAY_LOG_LEVEL: 'silent' })
  await eventually(() => dev.output().includes('Press Ctrl+C'), { timeoutMs: 30_000 })
})
afterAll(async () => {
  expect(await dev.stop()).toBe(0)
})

const curlLines = () =>
  dev
    .output()
    .split('\n')
    .filter((line) => line.startsWith('curl '))

it('prints a demo token and curl lines for produce, consume and a refused request', () => {
  expect(dev.output()).toMatch(/^TOKEN=[\w-]+\.[\w-]+\.[\w-]+$/m)
  expect(dev.output()).toContain('for local use only')
  expect(curlLines()).toHaveLength(3)
})

it('produces and consumes with the printed curl lines, run by a shell as pasted', async () => {
  const [produce, consume, refused] = curlLines() as [string, string, string]
  const produced = JSON.parse((await exec('bash', ['-c', produce])).stdout)
  expect(produced.offsets[0]).toMatchObject({ partition: 0, error_code: null })

  const consumed = JSON.parse((await exec('bash', ['-c', consume])).stdout)
  expect(Buffer.from(consumed[0].value, 'base64').toString()).toBe('hello from kafka-rest-gateway')

  const unauthorized = (await exec('bash', ['-c', refused])).stdout
  expect(unauthorized).toMatch(/^HTTP\/1.1 401/)
  expect(unauthorized).toMatch(/www-authenticate: Bearer realm="kafka-rest-gateway"/i)
})

it('uses the printed token with fetch too', async () => {
  const token = /^TOKEN=(.+)$/m.exec(dev.output())?.[1]
  const gateway = /gateway\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(dev.output())?.[1]
  const res = await fetch(`${gateway}/brokers`, { headers: { authorization: `Bearer ${token}` } })
  expect(res.status).toBe(200)
})
