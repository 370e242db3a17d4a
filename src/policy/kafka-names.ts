// Kafka names in paths and bodies: checked before any permission is matched, so every matcher sees short, plain input.
import { GatewayError } from '../errors/gateway-error.js'
import type { RouteMatch } from './route-match.js'

/** Kafka's own rule for topic names: 1 to 249 of these characters, and neither `.` nor `..`. */
export const MAX_TOPIC_LENGTH = 249
const TOPIC_CHARS = /^[A-Za-z0-9._-]+$/
/**
 * Kafka sets no length for group ids or consumer instance names; the gateway accepts up to 255 characters (the path
 * parser already refused control characters), enough for generated names and short enough to keep keys and logs small.
 */
export const MAX_GROUP_LENGTH = 255
export const MAX_INSTANCE_LENGTH = 255

export function isLegalTopic(name: string): boolean {
  return name.length <= MAX_TOPIC_LENGTH && name !== '.' && name !== '..' && TOPIC_CHARS.test(name)
}

/** BAD_REQUEST unless `name` is a legal topic name; `where` says where the client put it (for the message). */
export function checkTopicName(name: string, where: string): void {
  if (isLegalTopic(name)) return
  throw new GatewayError('BAD_REQUEST', {
    message: `The topic name ${where} is not a legal Kafka topic name: 1 to ${MAX_TOPIC_LENGTH} of the characters a-z A-Z 0-9 . _ - (not "." or "..")`,
  })
}

/** BAD_REQUEST for a group or instance name that is empty or longer than its limit. */
export function checkConsumerName(kind: 'group' | 'instance', name: string, where: string): void {
  const max = kind === 'group' ? MAX_GROUP_LENGTH : MAX_INSTANCE_LENGTH
  if (name.length >= 1 && name.length <= max) return
  throw new GatewayError('BAD_REQUEST', {
    message: `The consumer ${kind} name ${where} must have 1 to ${max} characters`,
  })
}

/** Checks the names a route captured from the path. */
export function checkRouteNames(route: RouteMatch): void {
  if (route.topic !== undefined) checkTopicName(route.topic, 'in the path')
  if (route.group !== undefined) checkConsumerName('group', route.group, 'in the path')
  if (route.instance !== undefined) checkConsumerName('instance', route.instance, 'in the path')
}
