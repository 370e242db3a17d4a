// Content-Type classification and Accept negotiation tables of the emulator.
import { describe, expect, it } from 'vitest'
import {
  classifyProduceMedia,
  consumerCreateVersion,
  explicitVersion,
  negotiate,
  V1_READ_MEDIA,
  V2_READ_MEDIA,
} from '../../../src/emulator/media-types.js'
import { CT } from './emulator-test-kit.js'

describe('produce Content-Type classification', () => {
  it.each([
    [CT.V1B, 'topic', { version: 'v1', format: 'binary' }],
    ['', 'partition', { version: 'v1', format: 'binary' }],
    [CT.V1J, 'topic', { version: 'v1', format: 'json' }],
    [CT.V2, 'topic', { version: 'v2', format: 'binary' }],
    [CT.V2, 'partition', undefined],
    [CT.V2P, 'partition', { version: 'v2', format: 'protobuf' }],
    ['text/plain', 'topic', undefined],
  ] as const)('%s on the %s route → %o', (contentType, route, expected) => {
    expect(classifyProduceMedia(contentType, route)).toEqual(expected)
  })
})

describe('consumer creation version', () => {
  it.each([
    ['', 'v1'],
    [CT.OS, 'v1'],
    [CT.V1J, 'v1'],
    [CT.V2, 'v2'],
    [CT.V2JS, 'v2'],
    ['text/plain', undefined],
  ])('%s → %s', (contentType, version) => {
    expect(consumerCreateVersion(contentType)).toBe(version)
  })

  it.each([
    [CT.V2, undefined, 'v2'],
    ['', CT.V1B, 'v1'],
    ['', `${CT.J}, ${CT.V2B}`, 'v2'],
    [CT.J, '*/*', undefined],
    // Without a versioned Content-Type, Jersey follows the client's weights over each method's response types.
    ['', `${CT.V2};q=0.5, ${CT.KJ}`, 'v1'],
    ['', `${CT.V2};q=0, ${CT.V1};q=0.1`, 'v1'],
    ['', `${CT.V1};q=0.2, ${CT.J};q=0.9`, undefined],
  ])('explicit version of Content-Type %s and Accept %s → %s', (contentType, accept, version) => {
    expect(explicitVersion(contentType, accept)).toBe(version)
  })
})

describe('Accept negotiation of the read methods', () => {
  it.each([
    [undefined, CT.V1B],
    ['*/*', CT.V1B],
    ['application/*', CT.V1B],
    [`${CT.J};q=1, ${CT.V1J};q=0.5`, CT.J],
    [`${CT.V1J}, */*;q=0.1`, CT.V1J],
    [`${CT.V1B};q=0, ${CT.V1}`, CT.V1],
    [`${CT.V1B};q=0, ${CT.V1J};q=0.5, ${CT.V1B}`, CT.V1B], // a type listed twice: the higher q counts, as in Jersey
    ['text/plain', undefined],
  ])('v1: %s → %s', (accept, type) => {
    expect(negotiate(accept, V1_READ_MEDIA)?.type).toBe(type)
  })

  it.each([
    [undefined, 'binary'],
    [CT.V2, 'binary'],
    [CT.V2JS, 'jsonschema'],
    [CT.J, undefined],
  ])('v2: %s → %s', (accept, format) => {
    expect(negotiate(accept, V2_READ_MEDIA)?.value).toBe(format)
  })
})
