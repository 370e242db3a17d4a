// bodyTopics: the topics each v2 consumer body names, and refusal of shapes the gateway cannot check.
import { describe, expect, it } from 'vitest'
import { BODY_TOPIC_ROUTES, bodyTopics } from '../../../src/authz/body-topics.js'

const fieldsOf = (route: string) =>
  BODY_TOPIC_ROUTES.get(route) as NonNullable<ReturnType<typeof BODY_TOPIC_ROUTES.get>>
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
  ])('%s %j names %j (pattern: %s)', (route, body, topics, pattern) => {
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
  ])('%s refuses %j with 400', (route, body) => {
    expect(() => bodyTopics(fieldsOf(route), body)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }))
  })
})
