// The request path as the policy judges it: decoded segments for clear paths, 400 for every ambiguous encoding.
import { describe, expect, it } from 'vitest'
import { GatewayError } from '../../../src/errors/gateway-error.js'
import { parseRequestPath } from '../../../src/policy/request-path.js'

describe('parseRequestPath', () => {
  it.each([
    ['/', []],
    ['/topics', ['topics']],
    ['/topics/', ['topics']],
    ['/topics/t?offset=1&x=/../%2F', ['topics', 't']],
    ['/%74opics/t', ['topics', 't']],
    ['/consumers/my%20group/instances/c%C3%A9', ['consumers', 'my group', 'instances', 'cé']],
    ['/topics/a.b', ['topics', 'a.b']],
    ['/topics/a%2eb', ['topics', 'a.b']],
    ['/topics/...', ['topics', '...']],
    ['/topics/t%3Bx=1', ['topics', 't;x=1']],
    ['/v3/clusters/c/topics/t/records:batch', ['v3', 'clusters', 'c', 'topics', 't', 'records:batch']],
    ["/consumers/g!$&'()*+,=:@~_-", ['consumers', "g!$&'()*+,=:@~_-"]],
  ])('reads %j as %j', (url, segments) => {
    expect(parseRequestPath(url)).toEqual(segments)
  })

  it.each([
    ['http://evil.example/topics', 'absolute-form'],
    ['*', 'absolute-form'],
    ['topics', 'absolute-form'],
    ['//topics/t', '//'],
    ['/topics//t', '//'],
    ['/topics/t//', '//'],
    ['/topics/./t', 'dot segments'],
    ['/topics/../admin', 'dot segments'],
    ['/topics/t/..', 'dot segments'],
    ['/topics/%2e%2e/admin', 'dot segments'],
    ['/topics/.%2E/admin', 'dot segments'],
    ['/topics/%2E', 'dot segments'],
    ['/topics/t%2Fx', 'encoded slashes'],
    ['/topics/t%2fx', 'encoded slashes'],
    ['/topics/t%5Cx', 'encoded slashes'],
    ['/topics/%252e%252e', 'double encoding'],
    ['/topics/t%00', 'control'],
    ['/topics/t%0d%0aX-Injected:%201', 'control'],
    ['/topics/t%7F', 'control'],
    ['/topics/t%', 'two hex digits'],
    ['/topics/t%zz', 'two hex digits'],
    ['/topics/t%4', 'two hex digits'],
    ['/topics/t%FF', 'UTF-8'],
    ['/topics/t%C0%AF', 'UTF-8'],
    ['/topics/t%ED%A0%80', 'UTF-8'],
    ['/topics/t;x=1', '";"'],
    ['/topics\\t', '"\\"'],
    ['/topics/t#/partitions/0', '"#"'],
    ['/topics/t x', 'U+0020'],
    ['/topics/té', 'U+00e9'],
    ['/topics/t"', '"""'],
    ['/topics/{t}', '"{"'],
  ])('refuses %j (%s) with 400', (url, reason) => {
    let error: unknown
    try {
      parseRequestPath(url)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(GatewayError)
    expect((error as GatewayError).status).toBe(400)
    expect((error as GatewayError).message).toContain(reason)
  })
})
