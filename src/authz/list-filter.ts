// Answer steps that filter listings to what the caller may see: topic names (v1/v2), v3 `data` entries, v3 groups.
import type { Access } from '../policy/routes.js'
import type { AnswerStep } from '../request-context.js'
import type { GroupTest } from './group-access.js'
import type { TopicTest } from './topic-pattern.js'

/**
 * `names`: `["t", …]` keeps the names the caller may see. `data`: `{"data":[{"topic_name":"t", …}, …]}` keeps the
 * entries about such topics. `groups`: `{"data":[{"consumer_group_id":"g", …}, …]}` keeps the caller's groups. An answer
 * of another shape, or an entry without the expected name, is dropped rather than passed on unchecked.
 */
export function listFilter(list: NonNullable<Access['list']>, see: TopicTest, mayUseGroup: GroupTest): AnswerStep {
  if (list === 'lag-summary') return lagSummaryFilter(see)
  if (list === 'names') {
    return (answer) => (Array.isArray(answer) ? answer.filter((name) => typeof name === 'string' && see(name)) : [])
  }
  const field = list === 'data' ? 'topic_name' : 'consumer_group_id'
  const allowed = list === 'data' ? see : mayUseGroup
  return (answer) => {
    if (!isRecord(answer) || !Array.isArray(answer.data)) return { data: [] }
    const data = answer.data.filter((entry) => {
      const name = isRecord(entry) ? entry[field] : undefined
      return typeof name === 'string' && allowed(name)
    })
    return { ...answer, data }
  }
}

/**
 * A v3 consumer group's lag summary names the topic with the most lag, in `max_lag_topic_name` and in the
 * `max_lag_partition` link. A group's members need not all read topics this caller may see (other subjects of the
 * tenant, clients outside the gateway): unless the caller may see that topic, the three fields about it are left out.
 */
function lagSummaryFilter(see: TopicTest): AnswerStep {
  return (answer) => {
    if (!isRecord(answer)) return {}
    const topic = answer.max_lag_topic_name
    if (typeof topic === 'string' && see(topic)) return undefined
    const { max_lag_topic_name, max_lag_partition_id, max_lag_partition, ...rest } = answer
    return rest
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
