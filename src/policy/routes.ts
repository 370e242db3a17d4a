// The Kafka REST route table (v1, v2 and the whole v3 API) as data: one row per route, with its format rule and what
// authorization checks on it. Route names are a union type derived from this table, so a renamed route fails to compile.
import {
  BINARY_PRODUCE_TO_PARTITION,
  BINARY_PRODUCE_TO_TOPIC,
  type ReadType,
  V1_READ_TYPES,
  V2_READ_TYPES,
} from './kafka-media.js'

/**
 * The class of a route, for rate limits, metrics, logs and the audit log: `admin` is v3 administration (topic, config,
 * ACL writes), `other` is everything outside the table.
 */
export type RouteKind = 'produce' | 'consume' | 'consumer-lifecycle' | 'metadata' | 'admin' | 'other'

/**
 * What decides the embedded format on a route, and so what the policy must look at:
 * - `content-type`: the request Content-Type must be one of `binary` (produce);
 * - `accept`: the Accept header, negotiated against `offered`, must select a binary type (consume reads);
 * - `consumer-body`: the JSON body's `format` must be absent or binary (consumer creation);
 * - `v3-body`: every record's key/value `type` must be BINARY (v3 produce; `batch` reads `{"entries":[…]}`);
 * - `none`: the route carries no embedded data (metadata, lifecycle, administration).
 */
export type FormatRule =
  | { check: 'none' }
  | { check: 'content-type'; binary: readonly string[] }
  | { check: 'accept'; offered: readonly ReadType[] }
  | { check: 'consumer-body' }
  | { check: 'v3-body'; batch: boolean }

/**
 * What a caller needs on a topic: write records, read records, see its metadata, or administer it. `see` and
 * `describe` both need any permission on the topic; refused, `see` (v1/v2) answers like a missing topic, while `describe`
 * (v3, whose not-found answers differ) is a plain 403 — decided before the upstream, so it reveals no existence either.
 */
export type TopicNeed = 'produce' | 'consume' | 'see' | 'describe' | 'admin'

/** Where a JSON request body names topics: lists of names, lists of `{ "topic": … }` entries, a pattern, one name. */
export interface TopicFields {
  names?: string
  entries?: readonly string[]
  pattern?: string
  /** A single required topic name (v3 topic creation's `topic_name`). */
  one?: string
}

/**
 * What the authorizer checks on a route while topic permissions are on (with them off, nothing here applies):
 * - `topic`: what the `{topic}` path parameter needs;
 * - `body`: the JSON body names topics in `fields`, each needing `need`;
 * - `group`: the `{group}` path parameter of the v3 consumer-group API must be one of the caller's groups;
 * - `list`: the answer lists topics (`names`: `["t"]`; `data`: `{"data":[{"topic_name":"t"}]}`) or consumer groups
 *   (`groups`: `{"data":[{"consumer_group_id":"g"}]}`), and is filtered to what the caller may see; `lag-summary`: the
 *   answer names one topic (`max_lag_topic_name`), left out unless the caller may see it;
 * - `cluster`: cluster-wide administration (ACLs, broker and cluster configs): only for a caller who may administer
 *   every topic.
 * An empty object: the route names no topic, group or ACL (v1/v2 consumer groups are the consumer stage's business).
 */
export interface Access {
  topic?: TopicNeed
  body?: { fields: TopicFields; need: 'consume' | 'admin' }
  group?: true
  list?: 'names' | 'data' | 'groups' | 'lag-summary'
  cluster?: true
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface RouteDefinition<Name extends string = string> {
  name: Name
  method: Method
  /**
   * Path segments. `{topic}`, `{partition}`, `{group}`, `{instance}` capture a segment the gateway reads; `{cluster}`,
   * `{broker}`, `{config}`, `{consumer}` capture one it ignores. Literal segments are lower case: a request's route
   * words are compared without regard to case.
   */
  path: string
  kind: RouteKind
  access: Access
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

const OPEN: Access = {}
const PRODUCE: Access = { topic: 'produce' }
const CONSUME: Access = { topic: 'consume' }
const SEE: Access = { topic: 'see' }
const DESCRIBE: Access = { topic: 'describe' }
const ADMIN: Access = { topic: 'admin' }
const CLUSTER: Access = { cluster: true }
const GROUP: Access = { group: true }
const consumeInBody = (fields: TopicFields): Access => ({ body: { fields, need: 'consume' } })

function row<const Name extends string>(
  name: Name,
  method: Method,
  path: string,
  kind: RouteKind,
  access: Access = OPEN,
  format: FormatRule = NONE,
): RouteDefinition<Name> {
  return { name, method, path, kind, access, format }
}

const instance = '/consumers/{group}/instances/{instance}'
const partition = '/topics/{topic}/partitions/{partition}'

/** v1 and v2 share their paths; the Content-Type and Accept headers pick the version upstream. */
const V2_ROUTES = [
  row('root', 'GET', '/', 'metadata'),
  row('root-post', 'POST', '/', 'metadata'),
  row('brokers', 'GET', '/brokers', 'metadata'),
  row('topics-list', 'GET', '/topics', 'metadata', { list: 'names' }),
  row('topic-get', 'GET', '/topics/{topic}', 'metadata', SEE),
  row('produce-topic', 'POST', '/topics/{topic}', 'produce', PRODUCE, TO_TOPIC),
  row('partitions-list', 'GET', '/topics/{topic}/partitions', 'metadata', SEE),
  row('partition-get', 'GET', partition, 'metadata', SEE),
  row('produce-partition', 'POST', partition, 'produce', PRODUCE, TO_PARTITION),
  row('partition-offsets', 'GET', `${partition}/offsets`, 'metadata', SEE),
  row('simple-consume', 'GET', `${partition}/messages`, 'consume', CONSUME, V1_READ),
  row('consumer-create', 'POST', '/consumers/{group}', 'consumer-lifecycle', OPEN, CONSUMER_BODY),
  row('consumer-delete', 'DELETE', instance, 'consumer-lifecycle'),
  row('consume-v1', 'GET', `${instance}/topics/{topic}`, 'consume', CONSUME, V1_READ),
  row('consume-v2', 'GET', `${instance}/records`, 'consume', OPEN, V2_READ),
  row('offsets-commit', 'POST', `${instance}/offsets`, 'consumer-lifecycle', consumeInBody({ entries: ['offsets'] })),
  row(
    'offsets-committed',
    'GET',
    `${instance}/offsets`,
    'consumer-lifecycle',
    consumeInBody({ entries: ['partitions'] }),
  ),
  row(
    'subscribe',
    'POST',
    `${instance}/subscription`,
    'consumer-lifecycle',
    consumeInBody({ names: 'topics', pattern: 'topic_pattern' }),
  ),
  row('subscription-get', 'GET', `${instance}/subscription`, 'consumer-lifecycle'),
  row('unsubscribe', 'DELETE', `${instance}/subscription`, 'consumer-lifecycle'),
  row('assign', 'POST', `${instance}/assignments`, 'consumer-lifecycle', consumeInBody({ entries: ['partitions'] })),
  row('assignments-get', 'GET', `${instance}/assignments`, 'consumer-lifecycle'),
  row(
    'seek',
    'POST',
    `${instance}/positions`,
    'consumer-lifecycle',
    consumeInBody({ entries: ['offsets', 'timestamps'] }),
  ),
  row(
    'seek-beginning',
    'POST',
    `${instance}/positions/beginning`,
    'consumer-lifecycle',
    consumeInBody({ entries: ['partitions'] }),
  ),
  row(
    'seek-end',
    'POST',
    `${instance}/positions/end`,
    'consumer-lifecycle',
    consumeInBody({ entries: ['partitions'] }),
  ),
]

const cluster = '/clusters/{cluster}'
const topic = `${cluster}/topics/{topic}`
const group = `${cluster}/consumer-groups/{group}`
const consumer = `${group}/consumers/{consumer}`

/**
 * The v3 API (paths below `/v3` or `/kafka/v3`). Rows with a literal `-` come before the `{topic}` or `{broker}` row
 * they overlap, as Jersey prefers literal segments.
 */
const V3_ROUTES = [
  row('v3-clusters-list', 'GET', '/clusters', 'metadata'),
  row('v3-cluster-get', 'GET', cluster, 'metadata'),
  // ACLs and cluster-wide configuration: cluster administration.
  row('v3-acls-list', 'GET', `${cluster}/acls`, 'metadata', CLUSTER),
  row('v3-acls-create', 'POST', `${cluster}/acls`, 'admin', CLUSTER),
  row('v3-acls-delete', 'DELETE', `${cluster}/acls`, 'admin', CLUSTER),
  row('v3-acls-create-batch', 'POST', `${cluster}/acls:batch`, 'admin', CLUSTER),
  row('v3-cluster-configs-list', 'GET', `${cluster}/broker-configs`, 'metadata'),
  row('v3-cluster-configs-alter', 'POST', `${cluster}/broker-configs:alter`, 'admin', CLUSTER),
  row('v3-cluster-config-get', 'GET', `${cluster}/broker-configs/{config}`, 'metadata'),
  row('v3-cluster-config-update', 'PUT', `${cluster}/broker-configs/{config}`, 'admin', CLUSTER),
  row('v3-cluster-config-reset', 'DELETE', `${cluster}/broker-configs/{config}`, 'admin', CLUSTER),
  // Brokers.
  row('v3-brokers-list', 'GET', `${cluster}/brokers`, 'metadata'),
  row('v3-all-broker-configs-list', 'GET', `${cluster}/brokers/-/configs`, 'metadata'),
  row('v3-broker-get', 'GET', `${cluster}/brokers/{broker}`, 'metadata'),
  row('v3-broker-configs-list', 'GET', `${cluster}/brokers/{broker}/configs`, 'metadata'),
  row('v3-broker-configs-alter', 'POST', `${cluster}/brokers/{broker}/configs:alter`, 'admin', CLUSTER),
  row('v3-broker-config-get', 'GET', `${cluster}/brokers/{broker}/configs/{config}`, 'metadata'),
  row('v3-broker-config-update', 'PUT', `${cluster}/brokers/{broker}/configs/{config}`, 'admin', CLUSTER),
  row('v3-broker-config-reset', 'DELETE', `${cluster}/brokers/{broker}/configs/{config}`, 'admin', CLUSTER),
  row('v3-broker-replicas', 'GET', `${cluster}/brokers/{broker}/partition-replicas`, 'metadata', { list: 'data' }),
  // Consumer groups: the group must be the caller's; topics in paths and answers are checked like metadata.
  row('v3-groups-list', 'GET', `${cluster}/consumer-groups`, 'metadata', { list: 'groups' }),
  row('v3-group-get', 'GET', group, 'metadata', GROUP),
  row('v3-group-consumers', 'GET', `${group}/consumers`, 'metadata', GROUP),
  row('v3-group-lag-summary', 'GET', `${group}/lag-summary`, 'metadata', { group: true, list: 'lag-summary' }),
  row('v3-group-lags', 'GET', `${group}/lags`, 'metadata', { group: true, list: 'data' }),
  row('v3-group-lag', 'GET', `${group}/lags/{topic}/partitions/{partition}`, 'metadata', {
    group: true,
    topic: 'describe',
  }),
  row('v3-consumer-get', 'GET', consumer, 'metadata', GROUP),
  row('v3-consumer-assignments', 'GET', `${consumer}/assignments`, 'metadata', { group: true, list: 'data' }),
  row('v3-consumer-assignment', 'GET', `${consumer}/assignments/{topic}/partitions/{partition}`, 'metadata', {
    group: true,
    topic: 'describe',
  }),
  // Topics.
  row('v3-topics-list', 'GET', `${cluster}/topics`, 'metadata', { list: 'data' }),
  row('v3-topic-create', 'POST', `${cluster}/topics`, 'admin', {
    body: { fields: { one: 'topic_name' }, need: 'admin' },
  }),
  row('v3-all-topic-configs', 'GET', `${cluster}/topics/-/configs`, 'metadata', { list: 'data' }),
  row('v3-all-reassignments', 'GET', `${cluster}/topics/-/partitions/-/reassignment`, 'metadata', { list: 'data' }),
  row('v3-topic-get', 'GET', topic, 'metadata', DESCRIBE),
  row('v3-topic-update', 'PATCH', topic, 'admin', ADMIN),
  row('v3-topic-delete', 'DELETE', topic, 'admin', ADMIN),
  row('v3-topic-configs-list', 'GET', `${topic}/configs`, 'metadata', DESCRIBE),
  row('v3-topic-configs-alter', 'POST', `${topic}/configs:alter`, 'admin', ADMIN),
  row('v3-topic-config-get', 'GET', `${topic}/configs/{config}`, 'metadata', DESCRIBE),
  row('v3-topic-config-update', 'PUT', `${topic}/configs/{config}`, 'admin', ADMIN),
  row('v3-topic-config-reset', 'DELETE', `${topic}/configs/{config}`, 'admin', ADMIN),
  row('v3-partitions-list', 'GET', `${topic}/partitions`, 'metadata', DESCRIBE),
  row('v3-topic-reassignments', 'GET', `${topic}/partitions/-/reassignment`, 'metadata', DESCRIBE),
  row('v3-partition-get', 'GET', `${topic}/partitions/{partition}`, 'metadata', DESCRIBE),
  row('v3-partition-reassignment', 'GET', `${topic}/partitions/{partition}/reassignment`, 'metadata', DESCRIBE),
  row('v3-replicas-list', 'GET', `${topic}/partitions/{partition}/replicas`, 'metadata', DESCRIBE),
  row('v3-replica-get', 'GET', `${topic}/partitions/{partition}/replicas/{broker}`, 'metadata', DESCRIBE),
  // Records.
  row('produce-v3', 'POST', `${topic}/records`, 'produce', PRODUCE, V3_RECORDS),
  row('produce-v3-batch', 'POST', `${topic}/records:batch`, 'produce', PRODUCE, V3_BATCH),
  // In the proxy's sources though not in its published reference: judged like records, so no format slips past.
  row('produce-v3-partition', 'POST', `${topic}/partitions/{partition}/records`, 'produce', PRODUCE, V3_RECORDS),
]

/** The same rows under another path prefix, names unchanged. */
function under<Name extends string>(prefix: string, rows: readonly RouteDefinition<Name>[]): RouteDefinition<Name>[] {
  return rows.map((route) => ({ ...route, path: `${prefix}${route.path}` }))
}

export const routes = [
  ...V2_ROUTES,
  ...under('/v3', V3_ROUTES),
  // The same v3 API embedded in Confluent Server.
  ...under('/kafka/v3', V3_ROUTES),
] as const

/** Every route name of the table; a branch on a name that is not here fails to compile. */
export type RouteName = (typeof routes)[number]['name']
