// The authenticate stage's costs and caches, on a real HMAC issuer with a moving clock: what is verified, and when again.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { SignJWT } from 'jose'
import { pino } from 'pino'
import { beforeEach, describe, expect, it } from 'vitest'
import { authenticate } from '../../../src/auth/authenticate.js'
import { createIssuers, type Issuers } from '../../../src/auth/issuers.js'
import { type ConfigInput, configSchema } from '../../../src/config/schema.js'
import type { GatewayError } from '../../../src/errors/gateway-error.js'
import type { RequestContext, Stage } from '../../../src/request-context.js'

const SECRET = 's'.repeat(32)
const ISSUER = 'https://hmac.example/'
let clock: number
let verifications: number

type AuthConfig = ReturnType<typeof configSchema.shape.auth.parse>

function stageWith(auth: Partial<NonNullable<ConfigInput['auth']>> = {}, issuer: Record<string, unknown> = {}): Stage {
  const config = configSchema.shape.auth.parse({
    issuers: [{ issuer: ISSUER, audience: 'kafka', secret: { value: SECRET }, ...issuer }],
    ...auth,
  })
  return authenticate(config, countingIssuers(config), now)
}

/** The real issuers, with a count of the verifications they perform. */
function countingIssuers(config: AuthConfig): Issuers {
  const logger = pino({ level: 'silent' })
  const issuers = createIssuers(config, { readers: { env: {}, readFile: () => '' }, logger, now })
  return {
    ...issuers,
    get(issuer) {
      const verifier = issuers.get(issuer)
      if (!verifier) return undefined
      return {
        ...verifier,
        verify: (...args) => {
          verifications++
          return verifier.verify(...args)
        },
      }
    },
  }
}

const now = () => clock
const seconds = () => Math.floor(clock / 1000)
const token = (claims: Record<string, unknown> = {}, secret = SECRET) =>
  new SignJWT({ iss: ISSUER, aud: 'kafka', sub: 'alice', exp: seconds() + 60, iat: seconds(), ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(Buffer.from(secret))

async function run(stage: Stage, jwt: string): Promise<RequestContext> {
  const ctx = { requestId: 'r', startedAt: 0n } as RequestContext
  const req = { headers: { authorization: `Bearer ${jwt}` }, url: '/topics' } as unknown as IncomingMessage
  await stage(req, {} as ServerResponse, ctx)
  return ctx
}

const reasonOf = (stage: Stage, jwt: string) =>
  run(stage, jwt).then(
    () => 'accepted',
    (error: GatewayError) => error.message,
  )

beforeEach(() => {
  clock = 1_900_000_000_000
  verifications = 0
})

describe('verified-token cache', () => {
  it('verifies a token once, then answers from the cache with the same identity', async () => {
    const stage = stageWith()
    const jwt = await token({ scope: 'produce:a' })
    for (let i = 0; i < 5; i++) {
      expect((await run(stage, jwt)).identity).toEqual({
        subject: 'alice',
        issuer: ISSUER,
        tenant: undefined,
        scopes: ['produce:a'],
        expiresAt: seconds() + 60,
      })
    }
    expect(verifications).toBe(1)
  })

  it('verifies every time with tokenCacheSize 0', async () => {
    const stage = stageWith({ tokenCacheSize: 0 })
    const jwt = await token()
    for (let i = 0; i < 3; i++) await run(stage, jwt)
    expect(verifications).toBe(3)
  })

  it('shares one verification between concurrent requests with the same new token', async () => {
    const stage = stageWith()
    const jwt = await token()
    await Promise.all(Array.from({ length: 20 }, () => run(stage, jwt)))
    expect(verifications).toBe(1)
  })

  it('never serves an identity past `exp`: re-verifies, then refuses once beyond the clock tolerance', async () => {
    const stage = stageWith()
    const jwt = await token()
    await run(stage, jwt)
    clock += 61_000
    expect(await reasonOf(stage, jwt)).toBe('accepted')
    expect(verifications).toBe(2)
    clock += 30_000
    expect(await reasonOf(stage, jwt)).toBe('The token is not valid: the token has expired')
  })

  it('keeps a verdict no longer than maxTokenAgeSeconds allows', async () => {
    const stage = stageWith({}, { maxTokenAgeSeconds: 10 })
    const jwt = await token()
    await run(stage, jwt)
    clock += 11_000
    await run(stage, jwt)
    expect(verifications).toBe(2)
    clock += 30_000
    expect(await reasonOf(stage, jwt)).toBe('The token is not valid: the token is too old')
  })
})

describe('refused-token cache', () => {
  it('answers a repeated bad token from memory for negativeCacheSeconds, then verifies it again', async () => {
    const stage = stageWith({ negativeCacheSeconds: 5 })
    const forged = await token({}, 'f'.repeat(32))
    for (let i = 0; i < 10; i++) expect(await reasonOf(stage, forged)).toBe('The token is not valid: bad signature')
    expect(verifications).toBe(1)
    clock += 5_000
    expect(await reasonOf(stage, forged)).toBe('The token is not valid: bad signature')
    expect(verifications).toBe(2)
  })

  it('never refuses a good token because another token was refused', async () => {
    const stage = stageWith()
    await reasonOf(stage, await token({}, 'f'.repeat(32)))
    expect(await reasonOf(stage, await token())).toBe('accepted')
  })

  it('is off with negativeCacheSeconds 0', async () => {
    const stage = stageWith({ negativeCacheSeconds: 0 })
    const forged = await token({}, 'f'.repeat(32))
    for (let i = 0; i < 3; i++) await reasonOf(stage, forged)
    expect(verifications).toBe(3)
  })

  it('refuses an oversized token before any verification', async () => {
    const stage = stageWith({ maxTokenBytes: 1024 })
    expect(await reasonOf(stage, await token({ pad: 'x'.repeat(2000) }))).toBe(
      'The token is not valid: the token is too large',
    )
    expect(verifications).toBe(0)
  })
})
