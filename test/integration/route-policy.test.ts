// The deny list and strict mode over real HTTP: refused with 403 naming the request and the rule, nothing upstream.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { rawRequest, V2 } from '../support/http.js'
import { expectRawRefusal } from '../support/refusal.js'
import { type Stack, startStack } from '../support/stack.js'

describe.each([
  { mode: 'deny list', policy: { deny: ['/admin/**', 'DELETE /consumers/**', '/v3/clusters/*/acls/**'] } },
  { mode: 'strict', policy: { strict: true } },
])('$mode', ({ mode, policy }) => {
  let stack: Stack
  let auth: Record<string, string>

  beforeAll(async () => {
    // The instances are never created: this file judges the route policy, not consumer ownership.
    stack = await startStack({
      configure: (input) => ({ ...input, policy, authz: { consumers: { ownership: false } } }),
    })
    auth = { authorization: `Bearer ${await stack.token()}` }
  })
  beforeEach(() => stack.emulator.clearRequests())
  afterAll(() => stack.close())

  const send = (method: string, path: string, body?: string) =>
    rawRequest(`${stack.url}${path}`, { method, headers: { ...auth, 'content-type': V2 }, body })

  const refused: Record<string, Array<[string, string]>> = {
    'deny list': [
      ['GET', '/admin/topics'],
      ['POST', '/Admin/Topics'],
      ['DELETE', '/consumers/g/instances/c1'],
      ['GET', '/v3/clusters/c/acls/x'],
    ],
    strict: [
      ['GET', '/admin/topics'],
      ['GET', '/v3/clusters/c/links'],
      ['PUT', '/topics/t'],
      ['GET', '/TOPICS/t/partitions/0/messages/x'],
      ['POST', '/topics/t/partitions/0/messages'],
    ],
  }
  const forwarded: Record<string, Array<[string, string]>> = {
    'deny list': [
      ['GET', '/administrator'],
      ['GET', '/v3/clusters'],
      ['POST', '/consumers/g/instances/c1/offsets'],
    ],
    strict: [
      ['GET', '/topics'],
      ['GET', '/TOPICS'],
      ['GET', '/v3/clusters'],
      ['GET', '/brokers'],
      ['DELETE', '/consumers/g/instances/c1'],
      ['GET', '/topics/test/partitions/0/offsets'],
    ],
  }

  it.each(refused[mode] ?? [])('refuses %s %s with 403 ROUTE_DENIED', async (method, path) => {
    const res = await send(method, path)
    expect(res.status).toBe(403)
    expect(res.headers['x-gateway-error']).toBe('ROUTE_DENIED')
    const { message } = res.json<{ message: string }>()
    expect(message).toContain(`"${method} ${path}"`)
    expect(message).toContain(mode === 'strict' ? 'policy.strict' : 'policy.deny: ')
    expect(stack.emulator.requests).toEqual([])
  })

  it.each(forwarded[mode] ?? [])('forwards %s %s', async (method, path) => {
    await send(method, path)
    expect(stack.emulator.requests.map((r) => `${r.method} ${r.url}`)).toEqual([`${method} ${path}`])
  })

  it('still applies the binary rules to table routes', async () => {
    const res = await rawRequest(`${stack.url}/topics/t`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/vnd.kafka.avro.v2+json' },
      body: '{"records":[]}',
    })
    expectRawRefusal(res, 'FORMAT_NOT_ALLOWED')
    expect(stack.emulator.requests).toEqual([])
  })
})
