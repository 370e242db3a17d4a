// Parsers for the v2 body lists: {"partitions":[{topic,partition}]} and {"offsets":[{topic,partition,offset}]}.
import { isObject } from './handler-context.js'
import { errors } from './rest-error.js'
import type { TopicPartition } from './topic-store.js'

export interface TopicPartitionOffset extends TopicPartition {
  offset: number
}

export function parsePartitionList(value: unknown, field: string): TopicPartition[] {
  return listOf(value, field).map((item) => parseTopicPartition(item, field))
}

export function parseOffsetList(value: unknown, field: string): TopicPartitionOffset[] {
  return listOf(value, field).map((item) => {
    const offset = isObject(item) ? item.offset : undefined
    if (!isInteger(offset)) throw errors.unprocessable(`Invalid offset in ${field}`)
    return { ...parseTopicPartition(item, field), offset }
  })
}

function listOf(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw errors.unprocessable(`${field} may not be null`)
  return value
}

function parseTopicPartition(item: unknown, field: string): TopicPartition {
  if (!isObject(item) || typeof item.topic !== 'string' || !isInteger(item.partition) || item.partition < 0) {
    throw errors.unprocessable(`Invalid topic partition in ${field}`)
  }
  return { topic: item.topic, partition: item.partition }
}

const isInteger = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value)
