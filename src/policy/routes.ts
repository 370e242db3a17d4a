// The Kafka REST route table (v1, v2 and v3 produce) as data: one row per route, with the format rule it needs.
import {
  BINARY_PRODUCE_TO_PARTITION,
  BINARY_PRODUCE_TO_TOPIC,
  type ReadType,
  V1_READ_TYPES,
  V2_READ_TYPES,
} from './kafka-media.js'
import type { RouteKind } from './route-match.js'

/**
 * What decides the embedded format on a route, and so what the policy must look at:
 * - `content-type`: the request Content-Type must be one of `binary` (produce);
 * - `accept`: the Accept header, negotiated against `offered`, must select a binary type (consume reads);
 * - `consumer-body`: the JSON body's `format` must be absent or binary (consumer creation);
 * - `v3-body`: every record's key/value `type` must be BINARY (v3 produce; `batch` reads `{"entries":[…]}`);
 * - `none`: the route carries no embedded data (metadata, lifecycle).
 */
export type FormatRule =
  | { check: 'none' }
  | { check: 'content-type'; binary: readonly string[] }
  | { check: 'accept'; offered: readonly ReadType[] }
  | { check: 'consumer-body' }
  | { check: 'v3-body'; batch: boolean }

export interface RouteDefinition {
  name: string
  method: 'GET' | 'POST' | 'DELETE'
  /** Path segments; `{topic}`, `{partition}`, `{group}`, `{instance}`, `{cluster}` capture a segment. */
  path: string
  kind: RouteKind
  format: FormatRule
}

const NONE: FormatRule = { check: 'none' }
const TO_TOPIC: FormatRule = { check: 'content-type', binary: BINARY_PRODUCE_TO_TOPIC }
const TO_PARTITION: FormatRule = { check: 'content-type', binary: BINARY_PRODUCE_TO_PARTITION }
const V1_READ: FormatRule = { check: 'accept', offered: V1_READ_TYPES }
const V2_READ: FormatRule = { check: 'accept', offered: V2_READ_TYPES }
const CONSUMER_BODY: FormatRule = { check: 'consumer-body' }
const V3_RECORDS: FormatRule = { check: 'v3-body', batch: false }
const V3_BATCH: FormatRule = { check: 'v3-body', batch: true }

const instance = '/consumers/{group}/instances/{instance}'
const partition = '/topics/{topic}/partitions/{partition}'
const row = (
  name: string,
  method: RouteDefinition['method'],
  path: string,
  kind: RouteKind,
  format: FormatRule = NONE,
): RouteDefinition => ({ name, method, path, kind, format })

export const routes: readonly RouteDefinition[] = [
  row('root', 'GET', '/', 'metadata'),
  row('root-post', 'POST', '/', 'metadata'),
  row('brokers', 'GET', '/brokers', 'metadata'),
  row('topics-list', 'GET', '/topics', 'metadata'),
  row('topic-get', 'GET', '/topics/{topic}', 'metadata'),
  row('produce-topic', 'POST', '/topics/{topic}', 'produce', TO_TOPIC),
  row('partitions-list', 'GET', '/topics/{topic}/partitions', 'metadata'),
  row('partition-get', 'GET', partition, 'metadata'),
  row('produce-partition', 'POST', partition, 'produce', TO_PARTITION),
  row('partition-offsets', 'GET', `${partition}/offsets`, 'metadata'),
  row('simple-consume', 'GET', `${partition}/messages`, 'consume', V1_READ),
  row('consumer-create', 'POST', '/consumers/{group}', 'consumer-lifecycle', CONSUMER_BODY),
  row('consumer-delete', 'DELETE', instance, 'consumer-lifecycle'),
  row('consume-v1', 'GET', `${instance}/topics/{topic}`, 'consume', V1_READ),
  row('consume-v2', 'GET', `${instance}/records`, 'consume', V2_READ),
  row('offsets-commit', 'POST', `${instance}/offsets`, 'consumer-lifecycle'),
  row('offsets-committed', 'GET', `${instance}/offsets`, 'consumer-lifecycle'),
  row('subscribe', 'POST', `${instance}/subscription`, 'consumer-lifecycle'),
  row('subscription-get', 'GET', `${instance}/subscription`, 'consumer-lifecycle'),
  row('unsubscribe', 'DELETE', `${instance}/subscription`, 'consumer-lifecycle'),
  row('assign', 'POST', `${instance}/assignments`, 'consumer-lifecycle'),
  row('assignments-get', 'GET', `${instance}/assignments`, 'consumer-lifecycle'),
  row('seek', 'POST', `${instance}/positions`, 'consumer-lifecycle'),
  row('seek-beginning', 'POST', `${instance}/positions/beginning`, 'consumer-lifecycle'),
  row('seek-end', 'POST', `${instance}/positions/end`, 'consumer-lifecycle'),
  row('produce-v3', 'POST', '/v3/clusters/{cluster}/topics/{topic}/records', 'produce', V3_RECORDS),
  row('produce-v3-batch', 'POST', '/v3/clusters/{cluster}/topics/{topic}/records:batch', 'produce', V3_BATCH),
  // The same v3 API embedded in Confluent Server (under /kafka).
  row('produce-v3', 'POST', '/kafka/v3/clusters/{cluster}/topics/{topic}/records', 'produce', V3_RECORDS),
  row('produce-v3-batch', 'POST', '/kafka/v3/clusters/{cluster}/topics/{topic}/records:batch', 'produce', V3_BATCH),
]
