// Kafka names: topic names by Kafka's rule, group and instance names by length, before anything matches them.
import { describe, expect, it } from 'vitest'
import { GatewayError } from '../../../src/errors/gateway-error.js'
import {
  checkConsumerName,
  checkRouteNames,
  checkTopicName,
  isLegalTopic,
  MAX_GROUP_LENGTH,
  MAX_INSTANCE_LENGTH,
  MAX_TOPIC_LENGTH,
} from '../../../src/policy/kafka-names.js'

describe('topic names', () => {
  it.each(['t', 'orders.eu', 'a_b-c.D9', '...', '.a', 'a'.repeat(249), '_confluent-metrics'])('accepts %j', (name) => {
    expect(isLegalTopic(name)).toBe(true)
    expect(() => checkTopicName(name, 'in the path')).not.toThrow()
  })

  it.each(['', '.', '..', 'a'.repeat(250), 'a b', 'a/b', 'a:b', 'caf\u00e9', 'a*', '.'.repeat(5_000), 'a\u0000'])(
    'refuses %j with 400 naming the rule',
    (name) => {
      expect(isLegalTopic(name)).toBe(false)
      let error: unknown
      try {
        checkTopicName(name, 'in the body')
      } catch (caught) {
        error = caught
      }
      expect(error).toBeInstanceOf(GatewayError)
      expect((error as GatewayError).status).toBe(400)
      expect((error as GatewayError).message).toContain(`1 to ${MAX_TOPIC_LENGTH} of the characters`)
    },
  )
})

describe('group and instance names', () => {
  it.each([
    ['group', MAX_GROUP_LENGTH],
    ['instance', MAX_INSTANCE_LENGTH],
  ] as const)('%s: 1 to %i characters', (kind, max) => {
    expect(() => checkConsumerName(kind, 'x'.repeat(max), 'in the path')).not.toThrow()
    expect(() => checkConsumerName(kind, 'any chars: é/ *', 'in the path')).not.toThrow()
    expect(() => checkConsumerName(kind, 'x'.repeat(max + 1), 'in the path')).toThrow(`1 to ${max} characters`)
    expect(() => checkConsumerName(kind, '', 'in the path')).toThrow(GatewayError)
  })

  it('checks every name a route captured', () => {
    expect(() =>
      checkRouteNames({ kind: 'consume', name: 'consume-v1', group: 'g', instance: 'i', topic: 't' }),
    ).not.toThrow()
    expect(() =>
      checkRouteNames({ kind: 'consume', name: 'consume-v1', group: 'g', instance: 'i', topic: '..' }),
    ).toThrow(/topic name in the path/)
    expect(() => checkRouteNames({ kind: 'other', name: 'unmatched', group: 'g'.repeat(256) })).toThrow(/group name/)
    expect(() => checkRouteNames({ kind: 'other', name: 'unmatched' })).not.toThrow()
  })
})
