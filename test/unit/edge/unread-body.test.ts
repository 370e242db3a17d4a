import { once } from 'node:events'
import { IncomingMessage } from 'node:http'
import { Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import { unreadBody } from '../../../src/edge/unread-body.js'
import { GatewayError } from '../../../src/errors/gateway-error.js'
import type { RequestContext } from '../../../src/request-context.js'

const ctx = { requestId: 'r', startedAt: 0n } as RequestContext
const stage = unreadBody()

/** A request with `headers` whose body stream ended; `readToEnd` says whether something consumed it. */
async function request(headers: Record<string, string>, readToEnd: boolean): Promise<IncomingMessage> {
  const req = new IncomingMessage(new Socket())
  req.headers = headers
  req.push(null)
  if (readToEnd) {
    req.resume()
    await once(req, 'end')
  }
  return req
}

describe('unreadBody', () => {
  it.each([[{ 'content-length': '12' }], [{ 'transfer-encoding': 'chunked' }]])(
    'refuses a request with a body (%j) that something already read',
    async (headers) => {
      const req = await request(headers, true)
      expect(() => stage(req, undefined as never, ctx)).toThrow(
        expect.objectContaining({
          constructor: GatewayError,
          code: 'INTERNAL',
          status: 500,
          reason: 'body already read',
        }),
      )
    },
  )

  it.each([
    ['a body nobody read', { 'content-length': '12' }, false],
    ['no body, read', {}, true],
    ['an empty body, read', { 'content-length': '0' }, true],
  ])('lets through %s', async (_case, headers, readToEnd) => {
    expect(stage(await request(headers, readToEnd), undefined as never, ctx)).toBeUndefined()
  })
})
