// listFilter: listings keep only what the caller may see, and an answer of an unexpected shape lists nothing.
import { describe, expect, it } from 'vitest'
import { listFilter } from '../../../src/authz/list-filter.js'

const see = (topic: string) => topic.startsWith('mine.')
const mayUseGroup = (group: string) => group.startsWith('team.')

describe('listFilter', () => {
  it('keeps the v1/v2 topic names the caller may see', () => {
    expect(listFilter('names', see, mayUseGroup)(['mine.a', 'theirs', 'mine.b', 7], 200)).toEqual(['mine.a', 'mine.b'])
    expect(listFilter('names', see, mayUseGroup)({ data: ['mine.a'] }, 200)).toEqual([])
  })

  it('keeps the v3 entries about topics the caller may see, and the rest of the answer', () => {
    const answer = {
      kind: 'KafkaTopicList',
      metadata: { next: null },
      data: [{ topic_name: 'mine.a' }, { topic_name: 'theirs' }, { partition_id: 0 }, 'mine.b', null],
    }
    expect(listFilter('data', see, mayUseGroup)(answer, 200)).toEqual({
      kind: 'KafkaTopicList',
      metadata: { next: null },
      data: [{ topic_name: 'mine.a' }],
    })
  })

  it('keeps the v3 consumer groups that are the caller’s', () => {
    const answer = { data: [{ consumer_group_id: 'team.g' }, { consumer_group_id: 'other.g' }, { topic_name: 'x' }] }
    expect(listFilter('groups', see, mayUseGroup)(answer, 200)).toEqual({ data: [{ consumer_group_id: 'team.g' }] })
  })

  it('leaves the max-lag topic out of a v3 lag summary unless the caller may see it', () => {
    const summary = (topic: unknown) => ({
      total_lag: 3,
      max_lag_topic_name: topic,
      max_lag_partition_id: 0,
      max_lag_partition: { related: `/topics/${topic}/partitions/0` },
    })
    expect(listFilter('lag-summary', see, mayUseGroup)(summary('mine.a'), 200)).toBeUndefined()
    for (const topic of ['theirs', null, 7]) {
      expect(listFilter('lag-summary', see, mayUseGroup)(summary(topic), 200)).toEqual({ total_lag: 3 })
    }
    expect(listFilter('lag-summary', see, mayUseGroup)('text', 200)).toEqual({})
  })

  it.each([undefined, null, 'text', [], { data: 'x' }])('lists nothing for an answer shaped %j', (answer) => {
    expect(listFilter('data', see, mayUseGroup)(answer, 200)).toEqual({ data: [] })
    expect(listFilter('groups', see, mayUseGroup)(answer, 200)).toEqual({ data: [] })
  })
})
