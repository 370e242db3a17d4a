// The Kafka REST route table (v1, v2 and v3 produce) as data: one row per route, read by classify().
import type { RouteKind } from './route-match.js'

export interface RouteDefinition {
  name: string
  method: 'GET' | 'POST' | 'DELETE'
  /** Path segments; `{topic}`, `{partition}`, `{group}`, `{instance}`, `{cluster}` capture a segment. */
  path: string
  kind: RouteKind
}

const instance = '/consumers/{group}/instances/{instance}'

export const routes: readonly RouteDefinition[] = [
  { name: 'root', method: 'GET', path: '/', kind: 'metadata' },
  { name: 'topics-list', method: 'GET', path: '/topics', kind: 'metadata' },
  { name: 'topic-get', method: 'GET', path: '/topics/{topic}', kind: 'metadata' },
  { name: 'produce-topic', method: 'POST', path: '/topics/{topic}', kind: 'produce' },
  { name: 'partitions-list', method: 'GET', path: '/topics/{topic}/partitions', kind: 'metadata' },
  { name: 'partition-get', method: 'GET', path: '/topics/{topic}/partitions/{partition}', kind: 'metadata' },
  { name: 'produce-partition', method: 'POST', path: '/topics/{topic}/partitions/{partition}', kind: 'produce' },
  {
    name: 'partition-offsets',
    method: 'GET',
    path: '/topics/{topic}/partitions/{partition}/offsets',
    kind: 'metadata',
  },
  { name: 'simple-consume', method: 'GET', path: '/topics/{topic}/partitions/{partition}/messages', kind: 'consume' },
  { name: 'brokers', method: 'GET', path: '/brokers', kind: 'metadata' },
  { name: 'consumer-create', method: 'POST', path: '/consumers/{group}', kind: 'consumer-lifecycle' },
  { name: 'consumer-delete', method: 'DELETE', path: instance, kind: 'consumer-lifecycle' },
  { name: 'consume-v1', method: 'GET', path: `${instance}/topics/{topic}`, kind: 'consume' },
  { name: 'consume-v2', method: 'GET', path: `${instance}/records`, kind: 'consume' },
  { name: 'offsets-commit', method: 'POST', path: `${instance}/offsets`, kind: 'consumer-lifecycle' },
  { name: 'offsets-committed', method: 'GET', path: `${instance}/offsets`, kind: 'consumer-lifecycle' },
  { name: 'subscribe', method: 'POST', path: `${instance}/subscription`, kind: 'consumer-lifecycle' },
  { name: 'subscription-get', method: 'GET', path: `${instance}/subscription`, kind: 'consumer-lifecycle' },
  { name: 'unsubscribe', method: 'DELETE', path: `${instance}/subscription`, kind: 'consumer-lifecycle' },
  { name: 'assign', method: 'POST', path: `${instance}/assignments`, kind: 'consumer-lifecycle' },
  { name: 'assignments-get', method: 'GET', path: `${instance}/assignments`, kind: 'consumer-lifecycle' },
  { name: 'seek', method: 'POST', path: `${instance}/positions`, kind: 'consumer-lifecycle' },
  { name: 'seek-beginning', method: 'POST', path: `${instance}/positions/beginning`, kind: 'consumer-lifecycle' },
  { name: 'seek-end', method: 'POST', path: `${instance}/positions/end`, kind: 'consumer-lifecycle' },
  { name: 'produce-v3', method: 'POST', path: '/v3/clusters/{cluster}/topics/{topic}/records', kind: 'produce' },
  {
    name: 'produce-v3-batch',
    method: 'POST',
    path: '/v3/clusters/{cluster}/topics/{topic}/records:batch',
    kind: 'produce',
  },
]
