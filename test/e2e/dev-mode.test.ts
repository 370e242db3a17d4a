// `npm run dev` on a fresh machine: the printed export line and curl lines work when pasted into a shell, the local
// issuer mints the tokens that show each refusal, and the access log says why a token was refused.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { eventually } from '../support/eventually.js'
import { runEntry, type Started } from '../support/processes.js'

const exec = promisify(execFile)
let dev: Started

beforeAll(async () => {
  dev = runEntry('src/dev/dev.ts', { GATEWAY_PORT: '0', GATEWAY_LOG_LEVEL: 'info' })
  await eventually(() => dev.output().includes('Press Ctrl+C'), { timeoutMs: 30_000 })
})
afterAll(async () => {
  expect(await dev.stop()).toBe(0)
})

const lines = () => dev.output().split('\n')
const curlLines = () => lines().filter((line) => line.startsWith('curl '))
const exportLines = () => lines().filter((line) => line.startsWith('export TOKEN='))
/** Runs pasted lines in one bash, as a user would in one terminal. */
const shell = async (...pasted: string[]) => (await exec('bash', ['-c', pasted.join('\n')])).stdout

it('prints one export line with the demo token, and curl lines that use $TOKEN instead of the token', () => {
  const [demo] = exportLines()
  expect(demo).toMatch(/^export TOKEN=[\w-]+\.[\w-]+\.[\w-]+$/)
  expect(dev.output()).toContain('for local use only')
  expect(curlLines()).toHaveLength(4)
  const token = demo?.slice('export TOKEN='.length) as string
  for (const line of curlLines()) expect(line).not.toContain(token)
})

it('produces and consumes with the printed lines, run by a shell as pasted', async () => {
  const [demo] = exportLines() as [string]
  const [produce, consume, refused] = curlLines() as [string, string, string]
  const produced = JSON.parse(await shell(demo, produce))
  expect(produced.offsets[0]).toMatchObject({ partition: 0, error_code: null })

  const consumed = JSON.parse(await shell(demo, consume))
  expect(Buffer.from(consumed[0].value, 'base64').toString()).toBe('hello from kafka-rest-gateway')

  const unauthorized = await shell(refused)
  expect(unauthorized).toMatch(/^HTTP\/1.1 401/)
  expect(unauthorized).toMatch(/www-authenticate: Bearer realm="kafka-rest-gateway"/i)
})

it.each([
  ['expired', 'the token has expired'],
  ['not-yet-valid', 'the token is not yet valid'],
  ['wrong-audience', 'wrong audience'],
])('mints a %s token on request; the 401 and the access log say why', async (kind, reason) => {
  const [, mintExpired] = exportLines() as [string, string]
  const [, , , withToken] = curlLines() as [string, string, string, string]
  const printed = await shell(mintExpired.replace('kind=expired', `kind=${kind}`), withToken, 'printf "\\n%s" "$TOKEN"')
  const token = printed.slice(printed.lastIndexOf('\n') + 1)
  expect(token.split('.')).toHaveLength(3)
  const answer = printed.slice(0, printed.lastIndexOf('\n'))
  expect(answer).toMatch(/^HTTP\/1.1 401/)
  expect(answer).toContain(`error="invalid_token", error_description="${reason}"`)
  const requestId = /^x-request-id: (\S+)/im.exec(answer)?.[1]
  const logged = await eventually(() =>
    lines()
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line))
      .find((entry) => entry.msg === 'request' && entry.requestId === requestId),
  )
  expect(logged).toMatchObject({ level: 30, status: 401, refusal: 'TOKEN_INVALID', reason })
  // The token itself never reaches the log.
  expect(dev.output()).not.toContain(token.split('.')[2])
})

it('gives a good token again with the printed line, and names the kinds it knows when asked for another', async () => {
  const [, , fresh] = exportLines() as [string, string, string]
  const [, , , withToken] = curlLines() as [string, string, string, string]
  expect(await shell(fresh, withToken)).toMatch(/^HTTP\/1.1 200/)
  const issuer = /token issuer\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(dev.output())?.[1]
  const res = await fetch(`${issuer}/token?kind=forged`)
  expect(res.status).toBe(400)
  expect(await res.json()).toEqual({
    error: 'unknown kind "forged": use one of valid, expired, not-yet-valid, wrong-audience',
  })
})

it('uses the printed token with fetch too', async () => {
  const token = /^export TOKEN=([\w.-]+)$/m.exec(dev.output())?.[1]
  const gateway = /gateway\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(dev.output())?.[1]
  const res = await fetch(`${gateway}/brokers`, { headers: { authorization: `Bearer ${token}` } })
  expect(res.status).toBe(200)
})
