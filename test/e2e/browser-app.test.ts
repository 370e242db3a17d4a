// The example browser app in real Chromium: allowed origin round-trips, another origin is blocked, refusals are readable.
import { mkdirSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ExampleApp, serveExampleApp } from '../../src/dev/example-app.js'
import { createLogger } from '../../src/observability/logger.js'
import { launchChromium } from '../support/browser.js'
import { eventually } from '../support/eventually.js'
import { runEntry } from '../support/processes.js'
import { type Stack, startStack } from '../support/stack.js'

interface AccessLine {
  msg: string
  method?: string
  status?: number
  refusal?: string
  subject?: string
}

let stack: Stack
let allowed: ExampleApp
let other: ExampleApp
let browser: Browser
let page: Page
const accessLog: AccessLine[] = []

beforeAll(async () => {
  // Two copies of the app on two origins (two ports); only the first one is in the gateway's allowlist.
  ;[allowed, other] = await Promise.all([
    serveExampleApp({ host: '127.0.0.1', port: 0 }),
    serveExampleApp({ host: '127.0.0.1', port: 0 }),
  ])
  const logger = createLogger({ level: 'info' }, { write: (line: string) => void accessLog.push(JSON.parse(line)) })
  stack = await startStack({
    issuer: { demoTokens: true },
    deps: { logger },
    configure: (input) => ({
      ...input,
      cors: { origins: [allowed.url] },
      // One produce per hour for this user: the app's second run is refused with a 429 (the real rate-limit stage).
      rateLimit: {
        overrides: [{ subject: 'limited-user', classes: { produce: { requests: 1, windowSeconds: 3600 } } }],
      },
    }),
  })
  for (const app of [allowed, other]) app.configure({ gatewayUrl: stack.url, tokenUrl: `${stack.issuer.url}/token` })
  browser = await launchChromium()
  page = await browser.newPage()
})
afterAll(async () => {
  await browser?.close()
  await stack?.close()
  await Promise.all([allowed?.close(), other?.close()])
})

async function runDemo(appUrl: string, message: string, sub = 'demo-user'): Promise<string> {
  await page.goto(`${appUrl}/`)
  await page.fill('input[name=sub]', sub)
  await page.fill('input[name=message]', message)
  await page.click('#run')
  await page.waitForSelector('#result:is([data-state=ok], [data-state=failed])', { state: 'attached' })
  return (await page.getAttribute('#result', 'data-state')) ?? ''
}

const errorField = (name: string) => page.textContent(`#error [data-field="${name}"]`)

describe('the example app on an allowed origin', () => {
  it('produces, reads the message back through the rewritten base_uri and deletes its consumer', async () => {
    stack.emulator.clearRequests()
    accessLog.length = 0
    const message = `hello from Chromium ${Date.now()}`
    expect(await runDemo(allowed.url, message)).toBe('ok')
    expect(await page.textContent('#result')).toBe(`Read back: ${message}`)
    expect(await page.textContent('#steps')).toContain(`consumer base_uri: ${stack.url}/consumers/browser-example-`)
    mkdirSync('test-output', { recursive: true })
    await page.screenshot({ path: 'test-output/browser-app.png', fullPage: true })

    const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g
    const upstream = stack.emulator.requests.map(({ method, url }) => `${method} ${url.replace(uuid, 'ID')}`)
    const instance = '/consumers/browser-example-ID/instances/rest-consumer-ID'
    expect([...new Set(upstream)]).toEqual([
      'POST /topics/browser-demo',
      'POST /consumers/browser-example-ID',
      `POST ${instance}/subscription`,
      `GET ${instance}/records`,
      `DELETE ${instance}`,
    ])
    // The upstream saw the gateway's key only: never the user's token, never a preflight.
    for (const { method, headers } of stack.emulator.requests) {
      expect(method).not.toBe('OPTIONS')
      expect(headers['x-auth-token']).toBe(stack.apiKey)
      expect(headers.authorization).toBeUndefined()
    }
  })

  it("answered the browser's preflights itself, with 204 and without a token", () => {
    const preflights = accessLog.filter((line) => line.msg === 'request' && line.method === 'OPTIONS')
    // Produce, consumer creation, subscription, read and delete each carry Authorization: each needs a preflight
    // unless Chromium reused a cached one (same URL and method); at least produce and consumer creation differ.
    expect(preflights.length).toBeGreaterThanOrEqual(2)
    for (const line of preflights) {
      expect(line.status).toBe(204)
      expect(line.subject).toBeUndefined()
      expect(line.refusal).toBeUndefined()
    }
  })

  it('reads a 401 with its body and WWW-Authenticate', async () => {
    await page.goto(`${allowed.url}/`)
    await page.click('#no-token')
    await page.waitForSelector('#result[data-state=failed]', { state: 'attached' })
    expect(await errorField('status')).toBe('401')
    expect(await errorField('message')).toBe('A bearer token is required')
    expect(await errorField('error_code')).toBe('40190')
    expect(await errorField('error')).toBe('TOKEN_MISSING')
    expect(await errorField('www-authenticate')).toBe('Bearer realm="kafka-rest-gateway"')
    expect(await errorField('request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('reads a 429 with its body, Retry-After and RateLimit, and the refused produce never reaches upstream', async () => {
    expect(await runDemo(allowed.url, 'within the limit', 'limited-user')).toBe('ok')
    stack.emulator.clearRequests()
    expect(await runDemo(allowed.url, 'over the limit', 'limited-user')).toBe('failed')
    expect(await errorField('status')).toBe('429')
    expect(await errorField('message')).toBe('Too many requests')
    expect(await errorField('error_code')).toBe('42901')
    expect(await errorField('error')).toBe('RATE_LIMITED')
    expect(Number(await errorField('retry-after'))).toBeGreaterThan(3000)
    expect(await errorField('ratelimit')).toMatch(/^"produce";r=0;t=\d+/)
    await page.screenshot({ path: 'test-output/browser-app-429.png', fullPage: true })
    expect(stack.emulator.requests).toEqual([])
  })
})

describe('the same app on an origin the gateway does not allow', () => {
  it('is blocked by the browser, and the upstream receives nothing', async () => {
    stack.emulator.clearRequests()
    accessLog.length = 0
    expect(await runDemo(other.url, 'must never arrive')).toBe('failed')
    expect(await errorField('status')).toBe('(no answer)')
    expect(await errorField('message')).toContain(`The browser blocked the request or could not reach ${stack.url}`)
    expect(stack.emulator.requests).toEqual([])
    // The token came from the issuer (it allows any origin); the gateway refused the produce preflight.
    expect(accessLog.filter((line) => line.msg === 'request')).toEqual([
      expect.objectContaining({ method: 'OPTIONS', status: 403, refusal: 'ORIGIN_NOT_ALLOWED' }),
    ])
  })
})

describe('npm run dev, as the README says: open the printed browser app URL and press "Send and read back"', () => {
  it('prints the app URL, and the app works there', async () => {
    const dev = runEntry('src/dev/dev.ts', { GATEWAY_PORT: '0', GATEWAY_LOG_LEVEL: 'silent' })
    try {
      await eventually(() => dev.output().includes('Press Ctrl+C'), { timeoutMs: 30_000 })
      const appUrl = /^ {2}browser app +(http:\/\/127\.0\.0\.1:\d+)\/ /m.exec(dev.output())?.[1]
      expect(appUrl).toBeDefined()
      expect(dev.output()).toContain(`open ${appUrl}/ and press "Send and read back"`)
      expect(await runDemo(appUrl ?? '', 'hello from npm run dev')).toBe('ok')
      expect(await page.textContent('#result')).toBe('Read back: hello from npm run dev')
    } finally {
      expect(await dev.stop()).toBe(0)
    }
  })
})
