// Every route of the Confluent REST Proxy API reference (v1, v2 and v3, as data below) is either in the route table
// with the topic and group names it carries, or deliberately left out and so refused while topic permissions are on.
import { describe, expect, it } from 'vitest'
import { createClassifier } from '../../../src/policy/classify.js'
import { parseRequestPath } from '../../../src/policy/request-path.js'
import { routes } from '../../../src/policy/routes.js'

/**
 * What the table must do with a reference route:
 * - `names`: the topic and group in its path are read and checked (which ones follows from the template);
 * - `body`: its JSON body names the topics, and they are checked;
 * - `list`: its answer lists or names topics or groups, and is filtered (`names+list`: both);
 * - `cluster`: cluster administration, refused unless the caller administers every topic;
 * - `open`: it names no topic, group or ACL (cluster and broker metadata, consumer lifecycle without topics);
 * - `unknown`: deliberately left out of the table, so refused with ROUTE_UNKNOWN while permissions are on.
 */
type Decision = 'names' | 'names+list' | 'body' | 'list' | 'cluster' | 'open' | 'unknown'
type Reference = readonly [method: string, path: string, decision: Decision]

const instance = '/consumers/{group_name}/instances/{instance}'

/** API v1 and v2 (same paths; the media types pick the version). */
const V2_REFERENCE: readonly Reference[] = [
  ['GET', '/', 'open'],
  ['POST', '/', 'open'],
  ['GET', '/brokers', 'open'],
  ['GET', '/topics', 'list'],
  ['GET', '/topics/{topic_name}', 'names'],
  ['POST', '/topics/{topic_name}', 'names'],
  ['GET', '/topics/{topic_name}/partitions', 'names'],
  ['GET', '/topics/{topic_name}/partitions/{partition_id}', 'names'],
  ['POST', '/topics/{topic_name}/partitions/{partition_id}', 'names'],
  ['GET', '/topics/{topic_name}/partitions/{partition_id}/offsets', 'names'],
  ['GET', '/topics/{topic_name}/partitions/{partition_id}/messages', 'names'],
  ['POST', '/consumers/{group_name}', 'names'],
  ['DELETE', instance, 'names'],
  ['POST', `${instance}/offsets`, 'body'],
  ['GET', `${instance}/offsets`, 'body'],
  ['POST', `${instance}/subscription`, 'body'],
  ['GET', `${instance}/subscription`, 'names'],
  ['DELETE', `${instance}/subscription`, 'names'],
  ['POST', `${instance}/assignments`, 'body'],
  ['GET', `${instance}/assignments`, 'names'],
  ['POST', `${instance}/positions`, 'body'],
  ['POST', `${instance}/positions/beginning`, 'body'],
  ['POST', `${instance}/positions/end`, 'body'],
  ['GET', `${instance}/records`, 'names'],
  ['GET', `${instance}/topics/{topic_name}`, 'names'],
]

const cluster = '/clusters/{cluster_id}'
const topic = `${cluster}/topics/{topic_name}`
const group = `${cluster}/consumer-groups/{consumer_group_id}`
const consumer = `${group}/consumers/{consumer_id}`

/** API v3 (the REST Admin API reference), below `/v3` on REST Proxy and `/kafka/v3` on Confluent Server. */
const V3_REFERENCE: readonly Reference[] = [
  ['GET', '/clusters', 'open'],
  ['GET', cluster, 'open'],
  ['GET', `${cluster}/acls`, 'cluster'],
  ['POST', `${cluster}/acls`, 'cluster'],
  ['DELETE', `${cluster}/acls`, 'cluster'],
  ['POST', `${cluster}/acls:batch`, 'cluster'],
  ['GET', `${cluster}/broker-configs`, 'open'],
  ['POST', `${cluster}/broker-configs:alter`, 'cluster'],
  ['GET', `${cluster}/broker-configs/{name}`, 'open'],
  ['PUT', `${cluster}/broker-configs/{name}`, 'cluster'],
  ['DELETE', `${cluster}/broker-configs/{name}`, 'cluster'],
  ['GET', `${cluster}/brokers`, 'open'],
  ['GET', `${cluster}/brokers/{broker_id}`, 'open'],
  ['GET', `${cluster}/brokers/-/configs`, 'open'],
  ['GET', `${cluster}/brokers/{broker_id}/configs`, 'open'],
  ['POST', `${cluster}/brokers/{broker_id}/configs:alter`, 'cluster'],
  ['GET', `${cluster}/brokers/{broker_id}/configs/{name}`, 'open'],
  ['PUT', `${cluster}/brokers/{broker_id}/configs/{name}`, 'cluster'],
  ['DELETE', `${cluster}/brokers/{broker_id}/configs/{name}`, 'cluster'],
  ['GET', `${cluster}/brokers/{broker_id}/partition-replicas`, 'list'],
  ['GET', `${cluster}/consumer-groups`, 'list'],
  ['GET', group, 'names'],
  ['GET', `${group}/consumers`, 'names'],
  // The summary names the topic with the most lag: left out unless the caller may see it.
  ['GET', `${group}/lag-summary`, 'names+list'],
  ['GET', `${group}/lags`, 'names+list'],
  ['GET', `${group}/lags/{topic_name}/partitions/{partition_id}`, 'names'],
  ['GET', consumer, 'names'],
  ['GET', `${consumer}/assignments`, 'names+list'],
  ['GET', `${consumer}/assignments/{topic_name}/partitions/{partition_id}`, 'names'],
  ['GET', `${cluster}/topics`, 'list'],
  ['POST', `${cluster}/topics`, 'body'],
  ['GET', `${cluster}/topics/-/configs`, 'list'],
  ['GET', `${cluster}/topics/-/partitions/-/reassignment`, 'list'],
  ['GET', topic, 'names'],
  ['PATCH', topic, 'names'],
  ['DELETE', topic, 'names'],
  ['GET', `${topic}/configs`, 'names'],
  ['POST', `${topic}/configs:alter`, 'names'],
  ['GET', `${topic}/configs/{name}`, 'names'],
  ['PUT', `${topic}/configs/{name}`, 'names'],
  ['DELETE', `${topic}/configs/{name}`, 'names'],
  ['GET', `${topic}/partitions`, 'names'],
  ['GET', `${topic}/partitions/-/reassignment`, 'names'],
  ['GET', `${topic}/partitions/{partition_id}`, 'names'],
  ['GET', `${topic}/partitions/{partition_id}/reassignment`, 'names'],
  ['GET', `${topic}/partitions/{partition_id}/replicas`, 'names'],
  ['GET', `${topic}/partitions/{partition_id}/replicas/{broker_id}`, 'names'],
  ['POST', `${topic}/records`, 'names'],
  ['POST', `${topic}/records:batch`, 'names'],
  // In kafka-rest's sources (ProduceToPartitionAction), not in the published reference.
  ['POST', `${topic}/partitions/{partition_id}/records`, 'names'],
  // Confluent Server only: not in the table, so refused while topic permissions are on.
  ['GET', `${topic}/default-configs`, 'unknown'],
  ['DELETE', `${cluster}/brokers/{broker_id}`, 'unknown'],
  ['POST', `${cluster}/brokers:delete`, 'unknown'],
  ['POST', `${cluster}/brokers/{broker_id}:unregister`, 'unknown'],
  ['GET', `${cluster}/links`, 'unknown'],
  ['GET', `${cluster}/links/{link_name}`, 'unknown'],
]

const REFERENCE: readonly Reference[] = [
  ...V2_REFERENCE,
  ...V3_REFERENCE.map(([method, path, decision]): Reference => [method, `/v3${path}`, decision]),
  ...V3_REFERENCE.map(([method, path, decision]): Reference => [method, `/kafka/v3${path}`, decision]),
]

/** A distinct value per reference parameter, so the test sees which segment the table read as which name. */
const SAMPLE: Record<string, string> = {
  topic_name: 'ref-topic',
  group_name: 'ref-group',
  consumer_group_id: 'ref-group',
  instance: 'ref-instance',
  cluster_id: 'ref-cluster',
  partition_id: '7',
  broker_id: '3',
  name: 'ref.config',
  consumer_id: 'ref-consumer',
  link_name: 'ref-link',
}

const concrete = (path: string) => path.replace(/\{(\w+)\}/g, (_, name: string) => SAMPLE[name] ?? `unknown-${name}`)
const classify = createClassifier()

describe('the route table covers the Confluent REST Proxy API reference', () => {
  it.each(REFERENCE)('%s %s: %s', (method, path, decision) => {
    const match = classify(method, parseRequestPath(concrete(path)))
    if (decision === 'unknown') {
      expect(match.name).toBe('unmatched')
      return
    }
    expect(match.name, 'not in the route table').not.toBe('unmatched')
    const access = match.access ?? {}
    const isV3 = path.includes('/v3/')
    if (path.includes('{topic_name}')) {
      expect(match.topic).toBe('ref-topic')
      expect(access.topic, 'the topic in the path is not checked').toBeDefined()
    } else {
      expect(match).not.toHaveProperty('topic')
    }
    if (path.includes('{group_name}') || path.includes('{consumer_group_id}')) expect(match.group).toBe('ref-group')
    // v3 groups are the authorizer's; v1/v2 groups and instances are the consumer stage's (prefixes, ownership).
    if (isV3 && path.includes('{consumer_group_id}')) expect(access.group).toBe(true)
    if (path.includes('{instance}')) expect(match.instance).toBe('ref-instance')
    if (path.includes('{partition_id}')) expect(match.partition).toBe(7)
    expect(Boolean(access.body), 'body topics').toBe(decision === 'body')
    expect(Boolean(access.list), 'listing filter').toBe(decision.endsWith('list'))
    expect(Boolean(access.cluster), 'cluster administration').toBe(decision === 'cluster')
    if (decision === 'open') expect(access).toEqual({})
  })

  it('has no route that is not in the reference', () => {
    const reference = new Set(REFERENCE.map(([method, path]) => `${method} ${path.replace(/\{\w+\}/g, '{}')}`))
    const extra = routes
      .map((route) => `${route.method} ${route.path.replace(/\{\w+\}/g, '{}')}`)
      .filter((route) => !reference.has(route))
    expect(extra).toEqual([])
  })
})
