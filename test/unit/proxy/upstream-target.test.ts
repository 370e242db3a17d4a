// The upstream target handed to http-proxy: the fields its own url.parse() would give, computed once.
import { describe, expect, it } from 'vitest'
import { upstreamTarget } from '../../../src/proxy/upstream-target.js'

describe('upstreamTarget', () => {
  it.each([
    [
      'http://127.0.0.1:8082',
      { protocol: 'http:', host: '127.0.0.1:8082', hostname: '127.0.0.1', port: '8082', path: '/', auth: null },
    ],
    [
      'http://kafka-rest:8082/base/',
      { protocol: 'http:', host: 'kafka-rest:8082', hostname: 'kafka-rest', port: '8082', path: '/base/', auth: null },
    ],
    ['https://rest.example/x?y=1', { protocol: 'https:', host: 'rest.example', port: null, path: '/x?y=1' }],
    ['http://[::1]:9/p', { host: '[::1]:9', hostname: '::1', port: '9', path: '/p', pathname: '/p' }],
    ['http://us%40er:p%3Ass@h:1/', { auth: 'us@er:p:ss', host: 'h:1' }],
    ['http://user@h/', { auth: 'user', host: 'h', port: null }],
  ])('%s', (url, expected) => {
    expect(upstreamTarget(url)).toMatchObject(expected)
  })
})
