// The audit log: one line per produce / consume / consumer-lifecycle / admin request, with who and how much, and no secret.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually } from '../support/eventually.js'
import { b64, rawRequest, V1_BINARY, V2, V2_BINARY } from '../support/http.js'
import { expectRawRefusal } from '../support/refusal.js'
import { type Stack, startStack } from '../support/stack.js'

let stack: Stack
let dir: string
let token: string
const SECRET_PAYLOAD = 'payload-value-that-must-never-be-logged'

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gateway-audit-'))
  stack = await startStack({
    configure: (input) => ({
      ...input,
      audit: { output: 'file', file: join(dir, 'logs', 'audit.log') },
      // Permissions on, allowing everything: the subscription's topics are read from its body and audited.
      authz: { enabled: true, rules: [{ produce: ['*'], consume: ['*'] }] },
      auth: { ...input.auth, issuers: input.auth.issuers.map((issuer) => ({ ...issuer, tenantClaim: 'tenant' })) },
    }),
  })
  token = await stack.token('alice', { tenant: 'team-a' })
})
afterAll(async () => {
  await stack?.close()
  rmSync(dir, { recursive: true, force: true })
})

type Line = Record<string, unknown>
const lines = (): Line[] =>
  readFileSync(join(dir, 'logs', 'audit.log'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Line)
const linesFor = (requestId: string) => lines().filter((line) => line.requestId === requestId)
const lineFor = (requestId: string): Promise<Line> => eventually(() => linesFor(requestId)[0] as Line)

function call(
  id: string,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  return rawRequest(`${stack.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'x-request-id': id, ...init.headers },
  })
}

describe('audit lines for the Kafka routes', () => {
  const produceBody = JSON.stringify({ records: [{ value: b64(SECRET_PAYLOAD) }, { value: b64('second') }] })
  const group = '/consumers/audit-group'
  const instance = `${group}/instances/c1`

  it.each([
    [
      'v2 produce',
      'a-produce',
      () =>
        call('a-produce', '/topics/audited', {
          method: 'POST',
          headers: { 'content-type': V2_BINARY },
          body: produceBody,
        }),
      {
        route: 'produce-topic',
        kind: 'produce',
        topic: 'audited',
        status: 200,
        requestBytes: produceBody.length,
        records: 2,
      },
    ],
    [
      'chunked v1 produce to a partition (bytes counted on the stream)',
      'a-chunked',
      () =>
        rawRequest(`${stack.url}/topics/audited/partitions/0`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'x-request-id': 'a-chunked', 'content-type': V1_BINARY },
          body: JSON.stringify({ records: [{ value: b64(SECRET_PAYLOAD) }] }),
          chunked: true,
        }),
      {
        route: 'produce-partition',
        topic: 'audited',
        partition: 0,
        requestBytes: JSON.stringify({ records: [{ value: b64(SECRET_PAYLOAD) }] }).length,
        records: 1,
      },
    ],
    [
      'v3 produce (records counted by the policy, which reads this body)',
      'a-v3',
      () =>
        call('a-v3', '/v3/clusters/cluster-1/topics/audited/records', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ value: { type: 'BINARY', data: b64(SECRET_PAYLOAD) } }),
        }),
      { route: 'produce-v3', topic: 'audited', records: 1 },
    ],
    [
      'consumer creation',
      'a-create',
      () =>
        call('a-create', group, {
          method: 'POST',
          headers: { 'content-type': V2 },
          body: JSON.stringify({ name: 'c1', format: 'binary', 'auto.offset.reset': 'earliest' }),
        }),
      { route: 'consumer-create', kind: 'consumer-lifecycle', group: 'audit-group', status: 200 },
    ],
    [
      'subscription',
      'a-subscribe',
      () =>
        call('a-subscribe', `${instance}/subscription`, {
          method: 'POST',
          headers: { 'content-type': V2 },
          body: JSON.stringify({ topics: ['audited'] }),
        }),
      { route: 'subscribe', group: 'audit-group', instance: 'c1', topics: ['audited'], status: 204 },
    ],
    [
      'v2 consume',
      'a-records',
      () => call('a-records', `${instance}/records`, { headers: { accept: V2_BINARY } }),
      { route: 'consume-v2', kind: 'consume', instance: 'c1', status: 200 },
    ],
    [
      'consumer deletion',
      'a-delete',
      () => call('a-delete', instance, { method: 'DELETE', headers: { 'content-type': V2 } }),
      { route: 'consumer-delete', status: 204 },
    ],
  ])('writes one line for %s', async (_case, id, send, expected) => {
    const res = await send()
    const line = await lineFor(id)
    expect(linesFor(id)).toHaveLength(1)
    expect(line).toMatchObject({
      msg: 'audit',
      requestId: id,
      subject: 'alice',
      tenant: 'team-a',
      issuer: stack.issuer.issuer,
      status: res.status,
      outcome: 'completed',
      upstreamKey: 'default',
      ...expected,
    })
    expect(typeof line.time).toBe('string')
    expect(line.upstreamMs).toBeTypeOf('number')
    expect(line.durationMs).toBeGreaterThanOrEqual(line.upstreamMs as number)
    expect(line.responseBytes).toBe(Buffer.byteLength(res.body))
  })

  it('counts the consumed bytes of a long answer', async () => {
    const line = await lineFor('a-records')
    expect(line.responseBytes).toBeGreaterThan(b64(SECRET_PAYLOAD).length)
  })

  it('logs a refused request with its reason and no upstream figures', async () => {
    const res = await rawRequest(`${stack.url}/topics/audited`, {
      method: 'POST',
      headers: { 'x-request-id': 'a-refused', 'content-type': V2_BINARY },
      body: produceBody,
    })
    expectRawRefusal(res, 'TOKEN_MISSING')
    const line = await lineFor('a-refused')
    expect(line).toMatchObject({ status: 401, refusal: 'TOKEN_MISSING', route: 'produce-topic', outcome: 'completed' })
    expect(line).not.toHaveProperty('subject')
    expect(line).not.toHaveProperty('requestBytes')
    expect(line).not.toHaveProperty('upstreamMs')
  })

  it('says so when the client goes away before the answer', async () => {
    await call('a-c2', group, { method: 'POST', headers: { 'content-type': V2 }, body: '{"name":"c2"}' })
    await call('a-c2-sub', `${group}/instances/c2/subscription`, {
      method: 'POST',
      headers: { 'content-type': V2 },
      body: JSON.stringify({ topics: ['quiet-topic'] }),
    })
    const abort = new AbortController()
    const polling = fetch(`${stack.url}${group}/instances/c2/records?timeout=5000`, {
      headers: { authorization: `Bearer ${token}`, 'x-request-id': 'a-aborted', accept: V2_BINARY },
      signal: abort.signal,
    }).catch(() => 'aborted')
    await eventually(() => stack.emulator.requests.some((request) => request.url.includes('/instances/c2/records')))
    abort.abort()
    expect(await polling).toBe('aborted')
    expect(await lineFor('a-aborted')).toMatchObject({ route: 'consume-v2', outcome: 'aborted' })
  })

  it('audits v3 administration, refused or not: an attempt to delete a topic without admin', async () => {
    stack.emulator.clearRequests()
    const res = await call('a-admin', '/v3/clusters/c1/topics/audited', { method: 'DELETE' })
    expectRawRefusal(res, 'FORBIDDEN')
    expect(stack.emulator.requests).toEqual([])
    expect(await lineFor('a-admin')).toMatchObject({
      route: 'v3-topic-delete',
      kind: 'admin',
      topic: 'audited',
      status: 403,
      subject: 'alice',
    })
  })

  it('writes nothing for metadata requests', async () => {
    await call('a-metadata', '/topics')
    await lineFor('a-refused')
    expect(linesFor('a-metadata')).toEqual([])
  })

  it('never contains the token, the upstream key or a payload value', () => {
    const text = readFileSync(join(dir, 'logs', 'audit.log'), 'utf8')
    expect(text.length).toBeGreaterThan(0)
    for (const secret of [token, stack.apiKey, SECRET_PAYLOAD, b64(SECRET_PAYLOAD)]) expect(text).not.toContain(secret)
  })
})
