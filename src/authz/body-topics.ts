// The topics a request names in its JSON body, where the route table says they are (v2 consumer bodies, v3 topic creation).
import { GatewayError } from '../errors/gateway-error.js'
import { isObject, memberOf } from '../policy/json-member.js'
import { checkTopicName } from '../policy/kafka-names.js'
import type { TopicFields } from '../policy/routes.js'

export interface BodyTopics {
  topics: string[]
  /** The body subscribes by regular expression (`topic_pattern`): it can reach any topic. */
  pattern: boolean
}

/**
 * Every topic the body names. A field of an unexpected shape is refused (400) rather than skipped: the proxy might read
 * it in a way the gateway did not check. An empty body names nothing (a commit without a body commits what was read),
 * unless the route needs `one` name: then it is refused too.
 */
export function bodyTopics(fields: TopicFields, body: unknown): BodyTopics {
  const found: BodyTopics = { topics: [], pattern: false }
  if ((body === undefined || body === null) && fields.one === undefined) return found
  if (!isObject(body)) throw malformed('the body must be a JSON object')
  if (fields.one) found.topics.push(nameOf(memberOf(body, fields.one)))
  if (fields.names) {
    const names = memberOf(body, fields.names)
    if (names !== undefined && names !== null) found.topics.push(...listOf(names, fields.names).map(nameOf))
  }
  for (const field of fields.entries ?? []) {
    const entries = memberOf(body, field)
    if (entries === undefined || entries === null) continue
    for (const entry of listOf(entries, field)) {
      if (!isObject(entry)) throw malformed(`each entry of "${field}" must be an object`)
      found.topics.push(nameOf(memberOf(entry, 'topic')))
    }
  }
  if (fields.pattern) {
    const pattern = memberOf(body, fields.pattern)
    found.pattern = pattern !== undefined && pattern !== null
  }
  return found
}

function listOf(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw malformed(`"${field}" must be a list`)
  return value
}

function nameOf(value: unknown): string {
  if (typeof value !== 'string') throw malformed('every topic must be a string')
  checkTopicName(value, 'in the body')
  return value
}

function malformed(reason: string): GatewayError {
  return new GatewayError('BAD_REQUEST', { message: `The request body cannot be checked: ${reason}` })
}
