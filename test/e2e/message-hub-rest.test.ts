// message-hub-rest@1.2.0, unchanged, through the gateway: the user's JWT as its api_key, the gateway's key upstream.
import MessageHub, { type MessageHubError } from 'message-hub-rest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually } from '../support/eventually.js'
import { type Stack, startStack } from '../support/stack.js'

let stack: Stack

beforeAll(async () => {
  stack = await startStack()
})
afterAll(() => stack.close())

/** What a Bluemix app had in VCAP_SERVICES; migrating means a user token for api_key and the gateway's URL. */
function client(apiKey: string): MessageHub {
  const services = {
    messagehub: [{ label: 'messagehub', credentials: { api_key: apiKey, kafka_rest_url: stack.url } }],
  }
  // The client's default is HTTPS; the test gateway listens on plain HTTP on loopback.
  return new MessageHub(services, { https: false })
}

function expectOnlyTheUpstreamKey(token: string): void {
  expect(stack.emulator.requests.length).toBeGreaterThan(0)
  for (const { headers } of stack.emulator.requests) {
    expect(headers['x-auth-token']).toBe(stack.apiKey)
    expect(headers.authorization).toBeUndefined()
    expect(JSON.stringify(headers)).not.toContain(token)
  }
}

describe('message-hub-rest with a user token as its api_key', () => {
  it('produces, consumes with its v1 consumer and removes the instance; upstream sees the gateway key only', async () => {
    stack.emulator.clearRequests()
    const token = await stack.token('mh-user')
    const hub = client(token)

    // produce(): POST /topics/{t}, Content-Type v1 binary, the JWT in X-Auth-Token, body written without Content-Length.
    await hub.produce('mh-orders', 'first order ✓')
    await hub.produce('mh-orders', { id: 2, item: 'second' })

    // consume(): POST /consumers/{g} with the deprecated `id` and format binary; get() builds the read path from the
    // names (it ignores base_uri) and decodes every value to a utf8 string.
    const [instance] = await hub.consume('mh-group', 'mh-instance', { 'auto.offset.reset': 'smallest' })
    const values = await eventually(async () => {
      const read = await instance.get('mh-orders')
      return read.length > 0 ? read : undefined
    })
    expect(values).toEqual(['first order ✓', '{"id":2,"item":"second"}'])
    await instance.remove()

    const calls = stack.emulator.requests.map(({ method, url }) => `${method} ${url}`)
    expect(calls).toEqual([
      'POST /topics/mh-orders',
      'POST /topics/mh-orders',
      'POST /consumers/mh-group',
      ...calls.slice(3, -1).map(() => 'GET /consumers/mh-group/instances/mh-instance/topics/mh-orders'),
      'DELETE /consumers/mh-group/instances/mh-instance',
    ])
    // The gateway streamed the client's chunked produce body on, chunked, without buffering it.
    expect(stack.emulator.requests[0]?.headers['transfer-encoding']).toBe('chunked')
    expect(stack.emulator.requests[0]?.headers['content-type']).toBe('application/vnd.kafka.binary.v1+json')
    expectOnlyTheUpstreamKey(token)
  })

  it('treats the 409 of a re-created instance as success, as it always did', async () => {
    const hub = client(await stack.token('mh-user'))
    await hub.consume('mh-rejoin', 'same-name')
    const [again] = await hub.consume('mh-rejoin', 'same-name')
    expect(
      stack.emulator.requests.filter(({ url }) => url === '/consumers/mh-rejoin').map(({ method }) => method),
    ).toEqual(['POST', 'POST'])
    await again.remove()
  })

  it.each([
    ['the old API key (not a JWT)', async () => 'the-old-message-hub-api-key'],
    ['an expired token', () => stack.issuer.mint({ sub: 'mh-user' }, { expiresIn: -120 })],
  ])(
    'reports the gateway refusal of %s with status, error_code and message, and nothing goes upstream',
    async (_c, key) => {
      stack.emulator.clearRequests()
      const refused = (await client(await key())
        .produce('mh-orders', 'never stored')
        .then(
          () => undefined,
          (error: MessageHubError) => error,
        )) as MessageHubError
      expect(refused).toMatchObject({ statusCode: 401, errorCode: 40191 })
      expect(refused.message).toMatch(
        /^Request returned status code 401 .*The REST API responded with the following message: /,
      )
      expect(stack.emulator.requests).toEqual([])
    },
  )
})
