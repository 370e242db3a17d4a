// The route table of the emulator as data: v1 and v2 share paths; v3 lives under /v3/clusters.
import { byInstanceVersion, deleteInstance, forVersion } from './consumer-common.js'
import { createConsumer } from './consumer-create.js'
import { commitV1, readTopicV1 } from './consumer-v1-handlers.js'
import { committedOffsets, commitV2, readRecords, seek, seekToBeginning, seekToEnd } from './consumer-v2-handlers.js'
import { assign, getAssignments, getSubscription, subscribe, unsubscribe } from './consumer-v2-subscription.js'
import {
  getPartition,
  getPartitionOffsets,
  getTopic,
  listBrokers,
  listPartitions,
  listTopics,
  root,
} from './metadata-handlers.js'
import { produceToPartition, produceToTopic } from './produce-handlers.js'
import type { RouteDef } from './router.js'
import { readPartitionMessages } from './simple-consumer.js'
import { listClusters, produceV3 } from './v3-handlers.js'
import { createTopicV3, getTopicV3, listTopicsV3 } from './v3-topic-handlers.js'

const INSTANCE = '/consumers/:group/instances/:instance'

export const EMULATOR_ROUTES: RouteDef[] = [
  { method: 'GET', path: '/', handler: root },
  { method: 'POST', path: '/', handler: root },
  { method: 'GET', path: '/brokers', handler: listBrokers },
  { method: 'GET', path: '/topics', handler: listTopics },
  { method: 'GET', path: '/topics/:topic', handler: getTopic },
  { method: 'POST', path: '/topics/:topic', handler: produceToTopic },
  { method: 'GET', path: '/topics/:topic/partitions', handler: listPartitions },
  { method: 'GET', path: '/topics/:topic/partitions/:partition', handler: getPartition },
  { method: 'POST', path: '/topics/:topic/partitions/:partition', handler: produceToPartition },
  { method: 'GET', path: '/topics/:topic/partitions/:partition/offsets', handler: getPartitionOffsets },
  { method: 'GET', path: '/topics/:topic/partitions/:partition/messages', handler: readPartitionMessages },
  { method: 'POST', path: '/consumers/:group', handler: createConsumer },
  { method: 'DELETE', path: INSTANCE, handler: byInstanceVersion({ v1: deleteInstance, v2: deleteInstance }) },
  { method: 'POST', path: `${INSTANCE}/offsets`, handler: byInstanceVersion({ v1: commitV1, v2: commitV2 }) },
  { method: 'GET', path: `${INSTANCE}/offsets`, handler: forVersion('v2', committedOffsets) },
  { method: 'GET', path: `${INSTANCE}/topics/:topic`, handler: readTopicV1 },
  { method: 'POST', path: `${INSTANCE}/subscription`, handler: forVersion('v2', subscribe) },
  { method: 'GET', path: `${INSTANCE}/subscription`, handler: forVersion('v2', getSubscription) },
  { method: 'DELETE', path: `${INSTANCE}/subscription`, handler: forVersion('v2', unsubscribe) },
  { method: 'POST', path: `${INSTANCE}/assignments`, handler: forVersion('v2', assign) },
  { method: 'GET', path: `${INSTANCE}/assignments`, handler: forVersion('v2', getAssignments) },
  { method: 'POST', path: `${INSTANCE}/positions`, handler: forVersion('v2', seek) },
  { method: 'POST', path: `${INSTANCE}/positions/beginning`, handler: forVersion('v2', seekToBeginning) },
  { method: 'POST', path: `${INSTANCE}/positions/end`, handler: forVersion('v2', seekToEnd) },
  { method: 'GET', path: `${INSTANCE}/records`, handler: readRecords },
  { method: 'GET', path: '/v3/clusters', handler: listClusters },
  { method: 'GET', path: '/v3/clusters/:cluster/topics', handler: listTopicsV3 },
  { method: 'POST', path: '/v3/clusters/:cluster/topics', handler: createTopicV3 },
  { method: 'GET', path: '/v3/clusters/:cluster/topics/:topic', handler: getTopicV3 },
  { method: 'POST', path: '/v3/clusters/:cluster/topics/:topic/records', handler: produceV3 },
]
