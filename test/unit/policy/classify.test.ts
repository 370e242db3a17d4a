// The route table: every Kafka REST route classified with its names, HEAD as GET, and everything else `unmatched`.
import { describe, expect, it } from 'vitest'
import { createClassifier } from '../../../src/policy/classify.js'
import { parseRequestPath } from '../../../src/policy/request-path.js'
import { routes } from '../../../src/policy/routes.js'

const classify = createClassifier()
const classifyUrl = (method: string, url: string) => classify(method, parseRequestPath(url))
const I = '/consumers/g1/instances/i1'

describe('classify', () => {
  it.each([
    ['GET', '/', { kind: 'metadata', name: 'root' }],
    ['GET', '/brokers', { kind: 'metadata', name: 'brokers' }],
    ['GET', '/topics', { kind: 'metadata', name: 'topics-list' }],
    ['GET', '/topics/t1', { kind: 'metadata', name: 'topic-get', topic: 't1' }],
    ['POST', '/topics/t1', { kind: 'produce', name: 'produce-topic', topic: 't1' }],
    ['POST', '/topics/t1/', { kind: 'produce', name: 'produce-topic', topic: 't1' }],
    ['POST', '/%74opics/t1', { kind: 'produce', name: 'produce-topic', topic: 't1' }],
    ['GET', '/topics/t1/partitions', { kind: 'metadata', name: 'partitions-list', topic: 't1' }],
    ['GET', '/topics/t1/partitions/3', { kind: 'metadata', name: 'partition-get', topic: 't1', partition: 3 }],
    ['POST', '/topics/t1/partitions/3', { kind: 'produce', name: 'produce-partition', topic: 't1', partition: 3 }],
    ['POST', '/topics/t1/partitions/+03', { kind: 'produce', name: 'produce-partition', topic: 't1', partition: 3 }],
    ['POST', '/topics/t1/partitions/x', { kind: 'produce', name: 'produce-partition', topic: 't1' }],
    ['GET', '/topics/t1/partitions/0/offsets', { kind: 'metadata', name: 'partition-offsets', partition: 0 }],
    ['GET', '/topics/t1/partitions/0/messages', { kind: 'consume', name: 'simple-consume', topic: 't1', partition: 0 }],
    ['POST', '/consumers/g1', { kind: 'consumer-lifecycle', name: 'consumer-create', group: 'g1' }],
    ['POST', '/consumers/my%20group', { kind: 'consumer-lifecycle', name: 'consumer-create', group: 'my group' }],
    ['DELETE', I, { kind: 'consumer-lifecycle', name: 'consumer-delete', group: 'g1', instance: 'i1' }],
    ['GET', `${I}/topics/t1`, { kind: 'consume', name: 'consume-v1', group: 'g1', instance: 'i1', topic: 't1' }],
    ['GET', `${I}/records`, { kind: 'consume', name: 'consume-v2', group: 'g1', instance: 'i1' }],
    ['HEAD', `${I}/records`, { kind: 'consume', name: 'consume-v2', group: 'g1', instance: 'i1' }],
    ['POST', `${I}/offsets`, { kind: 'consumer-lifecycle', name: 'offsets-commit' }],
    ['GET', `${I}/offsets`, { kind: 'consumer-lifecycle', name: 'offsets-committed' }],
    ['POST', `${I}/subscription`, { kind: 'consumer-lifecycle', name: 'subscribe' }],
    ['GET', `${I}/subscription`, { kind: 'consumer-lifecycle', name: 'subscription-get' }],
    ['DELETE', `${I}/subscription`, { kind: 'consumer-lifecycle', name: 'unsubscribe' }],
    ['POST', `${I}/assignments`, { kind: 'consumer-lifecycle', name: 'assign' }],
    ['GET', `${I}/assignments`, { kind: 'consumer-lifecycle', name: 'assignments-get' }],
    ['POST', `${I}/positions`, { kind: 'consumer-lifecycle', name: 'seek' }],
    ['POST', `${I}/positions/beginning`, { kind: 'consumer-lifecycle', name: 'seek-beginning' }],
    ['POST', `${I}/positions/end`, { kind: 'consumer-lifecycle', name: 'seek-end' }],
    ['POST', '/v3/clusters/c1/topics/t1/records', { kind: 'produce', name: 'produce-v3', topic: 't1' }],
    ['POST', '/v3/clusters/c1/topics/t1/records:batch', { kind: 'produce', name: 'produce-v3-batch', topic: 't1' }],
    ['POST', '/kafka/v3/clusters/c1/topics/t1/records', { kind: 'produce', name: 'produce-v3', topic: 't1' }],
    // Route words without regard to case; names keep theirs.
    ['POST', '/Topics/MyTopic', { name: 'produce-topic', topic: 'MyTopic' }],
    ['GET', '/CONSUMERS/G/INSTANCES/I/RECORDS', { name: 'consume-v2', group: 'G', instance: 'I' }],
    // v3 administration: a literal `-` is not a topic.
    ['GET', '/v3/clusters/c1/topics', { kind: 'metadata', name: 'v3-topics-list' }],
    ['POST', '/v3/clusters/c1/topics', { kind: 'admin', name: 'v3-topic-create' }],
    ['GET', '/v3/clusters/c1/topics/-/configs', { name: 'v3-all-topic-configs' }],
    ['GET', '/v3/clusters/c1/topics/t1/configs', { name: 'v3-topic-configs-list', topic: 't1' }],
    ['DELETE', '/kafka/v3/clusters/c1/topics/t1', { kind: 'admin', name: 'v3-topic-delete', topic: 't1' }],
    ['GET', '/v3/clusters/c1/brokers/-/configs', { name: 'v3-all-broker-configs-list' }],
    ['GET', '/v3/clusters/c1/brokers/1/configs', { name: 'v3-broker-configs-list' }],
    ['GET', '/v3/clusters/c1/topics/t1/partitions/-/reassignment', { name: 'v3-topic-reassignments', topic: 't1' }],
    [
      'GET',
      '/v3/clusters/c1/consumer-groups/g1/lags/t1/partitions/2',
      { name: 'v3-group-lag', group: 'g1', topic: 't1' },
    ],
    ['GET', '/v3/clusters/c1/consumer-groups/g1/consumers/c9', { name: 'v3-consumer-get', group: 'g1' }],
    ['DELETE', '/v3/clusters/c1/acls', { kind: 'admin', name: 'v3-acls-delete', access: { cluster: true } }],
  ])('%s %s → %o', (method, url, expected) => {
    expect(classifyUrl(method, url)).toMatchObject(expected)
  })

  it.each([
    ['HEAD', '/topics/t1', 'topic-get'],
    ['GET', '/v3/clusters', 'v3-clusters-list'],
    ['GET', '/v3/clusters/c1/topics/t1/records', 'unmatched'],
    ['GET', '/v3/clusters/c1/links', 'unmatched'],
    ['GET', '/v3/clusters/c1/topics/t1/default-configs', 'unmatched'],
    ['PUT', '/topics/t1', 'unmatched'],
    ['DELETE', '/topics/t1', 'unmatched'],
    ['HEAD', '/topics/t1/partitions/0', 'partition-get'],
    ['POST', '/TOPICS/t1', 'produce-topic'],
    ['POST', '/%54opics/t1', 'produce-topic'],
    ['POST', '/V3/Clusters/c/Topics/t/Records:Batch', 'produce-v3-batch'],
    ['POST', '/v3/clusters/c/topics/t/records%3Abatch', 'produce-v3-batch'],
    ['GET', '/admin/topics', 'unmatched'],
    ['POST', '/topics/t1/partitions/0/messages', 'unmatched'],
    ['GET', '/consumers/g1/instances', 'unmatched'],
  ])('%s %s → %s', (method, url, name) => {
    expect(classifyUrl(method, url).name).toBe(name)
  })

  it('reads no topic from a literal `-`, and no consumer instance from a v3 consumer id', () => {
    expect(classifyUrl('GET', '/v3/clusters/c1/topics/-/configs')).not.toHaveProperty('topic')
    expect(classifyUrl('GET', '/v3/clusters/c1/consumer-groups/g1/consumers/c9')).not.toHaveProperty('instance')
  })

  it('reaches every row of the table, and gives each route name one format rule', () => {
    const ruleByName = new Map<string, string>()
    for (const route of routes) {
      const url = route.path.replace(/\{partition\}/g, '0').replace(/\{(\w+)\}/g, 'x-$1')
      expect(classify(route.method, parseRequestPath(url)).name, url).toBe(route.name)
      const rule = JSON.stringify(route.format)
      expect(ruleByName.get(route.name) ?? rule, route.name).toBe(rule)
      ruleByName.set(route.name, rule)
    }
  })
})
