// Which consumer namespace (v1 or v2) a request reaches upstream: the create's Content-Type, the route, or the headers.
import { describe, expect, it } from 'vitest'
import { createNamespace, instanceNamespace } from '../../../src/authz/consumer-namespace.js'
import { CT } from '../../support/http.js'

describe('createNamespace', () => {
  it.each([
    [CT.V2, 'v2'],
    [`${CT.V2B}; charset=utf-8`, 'v2'],
    ['APPLICATION/VND.KAFKA.JSON.V2+JSON', 'v2'],
    [CT.V1, 'v1'],
    [CT.V1B, 'v1'],
    [CT.KJ, 'v1'],
    [CT.J, 'v1'],
    [CT.OS, 'v1'],
    [undefined, 'v1'],
  ])('makes a %s create a %s instance, as the REST proxy does', (contentType, namespace) => {
    expect(createNamespace(contentType === undefined ? {} : { 'content-type': contentType })).toBe(namespace)
  })
})

describe('instanceNamespace', () => {
  it.each([
    ['consume-v1', 'v1'],
    ['consume-v2', 'v2'],
    ['subscribe', 'v2'],
    ['seek-end', 'v2'],
    ['offsets-committed', 'v2'],
  ])('knows %s belongs to %s whatever the headers say', (route, namespace) => {
    expect(instanceNamespace(route, { 'content-type': CT.V1, accept: CT.V1 })).toBe(namespace)
  })

  it.each([
    [{ 'content-type': CT.V2 }, 'v2'],
    [{ accept: `${CT.V1}, ${CT.J};q=0.5` }, 'v1'],
    [{ 'content-type': CT.V1, accept: '*/*' }, 'v1'],
    [{}, undefined],
    [{ 'content-type': CT.J }, undefined],
    [{ 'content-type': CT.V1, accept: CT.V2 }, undefined],
    [{ 'content-type': CT.V1, accept: `${CT.V2};q=0` }, 'v1'],
    [{ accept: `${CT.V2};q=0.5, ${CT.KJ}` }, undefined],
    [{ accept: `${CT.V2};q=0` }, undefined],
    [{ accept: `${CT.V2};q=0.5, */*` }, undefined],
    [{ accept: `${CT.V2}, ${CT.V1};q=0.5` }, 'v2'],
    [{ accept: `${CT.V2B}, */*;q=0.9` }, 'v2'],
    [{ accept: 'not a media type' }, undefined],
  ])(
    'reads a shared route (delete, commit) from versioned headers, weighed as the upstream does: %o → %s',
    (headers, namespace) => {
      expect(instanceNamespace('consumer-delete', headers)).toBe(namespace)
      expect(instanceNamespace('offsets-commit', headers)).toBe(namespace)
    },
  )
})
