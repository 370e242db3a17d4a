// bodyTopics: the topics each v2 consumer body names, and refusal of shapes the gateway cannot check.
import { describe, expect, it } from 'vitest'
import { bodyTopics } from '../../../src/authz/body-topics.js'
import { type RouteName, routes, type TopicFields } from '../../../src/policy/routes.js'

const fieldsOf = (name: RouteName): TopicFields => {
  const fields = routes.find((route) => route.name === name)?.access.body?.fields
  if (!fields) throw new Error(`${name} names no topics in its body`)
  return fields
}
const tp = (...topics: string[]) => topics.map((topic, partition) => ({ topic, partition }))

describe('bodyTopics', () => {
  it.each([
    ['subscribe', { topics: ['a', 'b'] }, ['a', 'b'], false],
    ['subscribe', { topic_pattern: 'a.*' }, [], true],
    ['subscribe', { TOPICS: ['a'], Topic_Pattern: 'x' }, ['a'], true],
    ['subscribe', { topics: null }, [], false],
    ['assign', { partitions: tp('a', 'b') }, ['a', 'b'], false],
    ['seek', { offsets: tp('a'), timestamps: tp('b') }, ['a', 'b'], false],
    ['seek-beginning', { partitions: tp('a') }, ['a'], false],
    ['seek-end', { partitions: tp('a') }, ['a'], false],
    ['offsets-commit', { offsets: tp('a') }, ['a'], false],
    ['offsets-commit', undefined, [], false],
    ['offsets-commit', null, [], false],
    ['offsets-committed', { partitions: tp('a') }, ['a'], false],
    ['assign', { partitions: [{ TOPIC: 'a', partition: 0 }] }, ['a'], false],
    ['v3-topic-create', { topic_name: 'a', partitions_count: 1 }, ['a'], false],
  ] as const)('%s %j names %j (pattern: %s)', (route, body, topics, pattern) => {
    expect(bodyTopics(fieldsOf(route), body)).toEqual({ topics, pattern })
  })

  it.each([
    ['subscribe', 'a string body'],
    ['subscribe', ['a']],
    ['subscribe', { topics: 'a' }],
    ['subscribe', { topics: [1] }],
    ['assign', { partitions: { topic: 'a' } }],
    ['assign', { partitions: ['a'] }],
    ['assign', { partitions: [{ partition: 0 }] }],
    ['seek', { timestamps: [{ topic: null }] }],
    ['v3-topic-create', undefined],
    ['v3-topic-create', {}],
    ['v3-topic-create', { topic_name: ['a'] }],
  ] as const)('%s refuses %j with 400', (route, body) => {
    expect(() => bodyTopics(fieldsOf(route), body)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }))
  })
})
