// kafka-rest@0.0.5 (kafka-rest-node), unchanged, through the gateway: Bearer token in its headers option, base_uri followed.
import { promisify } from 'node:util'
import KafkaRest, { type ConsumerInstance, type Message } from 'kafka-rest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Stack, startStack } from '../support/stack.js'

let stack: Stack

beforeAll(async () => {
  stack = await startStack()
})
afterAll(() => stack.close())

/** The client's `headers` option is merged into every request: the one place a Bearer token fits without code changes. */
const client = (token: string) => new KafkaRest({ url: stack.url, headers: { Authorization: `Bearer ${token}` } })

function produce(kafka: KafkaRest, topic: string, value: string): Promise<unknown> {
  return new Promise((resolve, reject) =>
    kafka.topic(topic).produce(value, (error, answer) => (error ? reject(error) : resolve(answer))),
  )
}

function join(kafka: KafkaRest, group: string): Promise<ConsumerInstance> {
  return new Promise((resolve, reject) =>
    kafka
      .consumer(group)
      .join({ format: 'binary', 'auto.offset.reset': 'smallest' }, (error, instance) =>
        error ? reject(error) : resolve(instance),
      ),
  )
}

/** Reads the stream until `count` messages came. requestDelay: the stream re-polls at once on `[]` without it. */
function readMessages(instance: ConsumerInstance, topic: string, count: number): Promise<Message[]> {
  const stream = instance.subscribe(topic, { requestDelay: 100 })
  const messages: Message[] = []
  return new Promise((resolve, reject) => {
    stream.on('error', reject)
    stream.on('data', (batch: Message[]) => {
      messages.push(...batch)
      if (messages.length >= count) resolve(messages)
    })
  })
}

describe('kafka-rest with Authorization: Bearer through its headers option', () => {
  it('produces, consumes through the rewritten base_uri, commits and shuts down; upstream sees the gateway key only', async () => {
    stack.emulator.clearRequests()
    const token = await stack.token('krn-user')
    const kafka = client(token)

    // Binary produce is Content-Type application/vnd.kafka.v1+json with key and partition present as null.
    await produce(kafka, 'krn-events', 'event one')
    await produce(kafka, 'krn-events', 'event two ✓')

    const instance = await join(kafka, 'krn-group')
    // The gateway rewrote base_uri to itself; the client then uses its path for every instance call.
    expect(instance.uri).toBe(`${stack.url}/consumers/krn-group/instances/${instance.id}`)
    const messages = await readMessages(instance, 'krn-events', 2)
    expect(messages.map((message) => message.value?.toString('utf8'))).toEqual(['event one', 'event two ✓'])
    await promisify(instance.commit.bind(instance))()
    await promisify(instance.shutdown.bind(instance))()

    const path = `/consumers/krn-group/instances/${instance.id}`
    const calls = new Set(stack.emulator.requests.map(({ method, url }) => `${method} ${url}`))
    expect([...calls]).toEqual(
      expect.arrayContaining([
        'POST /topics/krn-events',
        'POST /consumers/krn-group',
        `GET ${path}/topics/krn-events`,
        `POST ${path}/offsets`,
        `DELETE ${path}`,
      ]),
    )
    expect(calls.size).toBe(5)
    for (const { headers } of stack.emulator.requests) {
      expect(headers['x-auth-token']).toBe(stack.apiKey)
      expect(headers.authorization).toBeUndefined()
      expect(JSON.stringify(headers)).not.toContain(token)
    }
  })

  it('gets the gateway refusal of a bad token as its APIError (status and message), and nothing goes upstream', async () => {
    stack.emulator.clearRequests()
    const expired = await stack.issuer.mint({ sub: 'krn-user' }, { expiresIn: -120 })
    const refused = await produce(client(expired), 'krn-events', 'never stored').then(
      () => undefined,
      (error: Error & { status?: number; data?: { error_code?: number } }) => error,
    )
    expect(refused).toMatchObject({
      name: 'APIError',
      status: 401,
      message: 'The token is not valid: the token has expired',
    })
    expect(refused?.data?.error_code).toBe(40191)
    expect(stack.emulator.requests).toEqual([])
  })
})
