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

  it.each([undefined, null, 'text', [], { data: 'x' }])('lists nothing for an answer shaped %j', (answer) => {
    expect(listFilter('data', see, mayUseGroup)(answer, 200)).toEqual({ data: [] })
    expect(listFilter('groups', see, mayUseGroup)(answer, 200)).toEqual({ data: [] })
  })
})
