// RecordCounter: the record count of a produce body, however the body is split into chunks.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { RecordCounter } from '../../../src/ratelimit/record-counter.js'

const count = (chunks: readonly Buffer[]) => {
  const counter = new RecordCounter()
  for (const chunk of chunks) counter.feed(chunk)
  return counter.count
}

const records = (n: number, value = 'aGVsbG8=') =>
  JSON.stringify({ records: Array.from({ length: n }, (_, i) => ({ key: null, value, partition: i % 2 })) })

describe('RecordCounter', () => {
  it.each([
    ['v1/v2 records', records(3), 3],
    ['no records', '{"records":[]}', 0],
    ['v3 batch entries', '{"entries":[{"id":"1","value":{"type":"BINARY","data":"eA=="}},{"id":"2"}]}', 2],
    ['braces and quotes inside strings', '{"records":[{"value":"{\\"}{[","key":"\\\\"},{"value":"]}"}]}', 2],
    ['nested objects inside a record', '{"records":[{"value":"eA==","headers":[{"name":"h"}]}]}', 1],
    ['an object-valued member is not a list', '{"meta":{"a":{"b":1}},"records":[{"value":"eA=="}]}', 1],
    ['whitespace everywhere', '{ "records" : [ { "value" : "eA==" } , { } ] }', 2],
  ])('counts %s', (_case, body, expected) => {
    expect(count([Buffer.from(body)])).toBe(expected)
  })

  it('gives the right count for any split of the body into chunks', () => {
    const bodies: [string, number][] = [
      [records(5), 5],
      [records(2, 'a\\"b\\\\'), 2],
      ['{"records":[{"value":"\\\\\\""},{"value":"x"}]}', 2],
    ]
    fc.assert(
      fc.property(fc.constantFrom(...bodies), fc.array(fc.nat(), { maxLength: 8 }), ([body, expected], cuts) => {
        const bytes = Buffer.from(body)
        const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b)
        const chunks = [...points, bytes.length].map((end, i) => bytes.subarray(i === 0 ? 0 : points[i - 1], end))
        expect(count(chunks)).toBe(expected)
      }),
    )
  })

  it('splits a backslash run across chunks without losing the escape', () => {
    const body = Buffer.from('{"records":[{"value":"\\\\\\"}"},{"value":"x"}]}')
    const at = body.indexOf('\\') + 2
    expect(count([body.subarray(0, at), body.subarray(at)])).toBe(2)
    expect(count([body])).toBe(2)
  })
})
