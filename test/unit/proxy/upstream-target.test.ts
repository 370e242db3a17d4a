// The upstream target the forwarder uses: parsed once, host header as in the URL, path prefix and query kept.
import { describe, expect, it } from 'vitest'
import { upstreamPath, upstreamTarget } from '../../../src/proxy/upstream-target.js'

describe('upstreamTarget', () => {
  it.each([
    [
      'http://127.0.0.1:8082',
      { isHttps: false, host: '127.0.0.1:8082', hostname: '127.0.0.1', port: 8082, pathPrefix: '', auth: undefined },
    ],
    [
      'http://kafka-rest:8082/base/',
      { host: 'kafka-rest:8082', hostname: 'kafka-rest', port: 8082, pathPrefix: '/base', auth: undefined },
    ],
    ['https://rest.example/x?y=1', { isHttps: true, host: 'rest.example', port: 443, pathPrefix: '/x', query: 'y=1' }],
    ['http://rest.example', { host: 'rest.example', port: 80 }],
    ['http://[::1]:9/p', { host: '[::1]:9', hostname: '::1', port: 9, pathPrefix: '/p' }],
    ['http://us%40er:p%3Ass@h:1/', { auth: 'us@er:p:ss', host: 'h:1' }],
    ['http://user@h/', { auth: 'user', host: 'h', port: 80 }],
  ])('%s', (url, expected) => {
    expect(upstreamTarget(url)).toMatchObject(expected)
  })

  it.each([
    ['http://h:1', '/topics/t', '/topics/t'],
    ['http://h:1/base/', '/topics/t?x=1', '/base/topics/t?x=1'],
    ['http://h:1/base?y=2', '/topics', '/base/topics?y=2'],
    ['http://h:1/base?y=2', '/topics?x=1', '/base/topics?x=1&y=2'],
  ])('%s + %s → %s', (url, path, expected) => {
    expect(upstreamPath(upstreamTarget(url), path)).toBe(expected)
  })
})
