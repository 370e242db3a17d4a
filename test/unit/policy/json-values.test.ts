// JSON bodies as the policy reads them: zero or more values, invalid JSON refused, repeated keys refused.
import { describe, expect, it } from 'vitest'
import { GatewayError } from '../../../src/errors/gateway-error.js'
import { parseJsonValues } from '../../../src/policy/json-values.js'

describe('parseJsonValues', () => {
  it.each([
    ['', []],
    [' \n\t', []],
    ['null', [null]],
    ['{"format":"binary"}', [{ format: 'binary' }]],
    ['{"a":{"b":[{"c":1},{"c":2}]},"b":"{\\"b\\":1}"}', [{ a: { b: [{ c: 1 }, { c: 2 }] }, b: '{"b":1}' }]],
    [
      '{"value":{"type":"BINARY"}}\n{"value":{"type":"BINARY"}}',
      [{ value: { type: 'BINARY' } }, { value: { type: 'BINARY' } }],
    ],
    ['[{"a":1},{"a":2}]', [[{ a: 1 }, { a: 2 }]]],
    ['"x" 1 true', ['x', 1, true]],
    ['{"a":"}"}{"b":"]"}', [{ a: '}' }, { b: ']' }]],
  ])('reads %j', (text, values) => {
    expect(parseJsonValues(text)).toEqual(values)
  })

  it.each([
    ['{"format":"binary","format":"avro"}', 'repeats the key "format"'],
    ['{"format":"avro","format":"binary"}', 'repeats the key "format"'],
    ['{"format":"binary","Format":"avro"}', 'repeats the key "format"'],
    ['{"form\\u0061t":"avro","format":"binary"}', 'repeats the key "format"'],
    ['{"value":{"type":"BINARY","type":"AVRO"}}', 'repeats the key "type"'],
    ['{"format":"binary"', 'not valid JSON'],
    ["{'format':'avro'}", 'not valid JSON'],
    ['{"format":/*x*/"avro"}', 'not valid JSON'],
    ['{"a":1}}', 'not valid JSON'],
    ['{"a":1,}', 'not valid JSON'],
    ['NaN', 'not valid JSON'],
    ['"unterminated', 'not valid JSON'],
  ])('refuses %j with 400', (text, reason) => {
    let error: unknown
    try {
      parseJsonValues(text)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(GatewayError)
    expect((error as GatewayError).status).toBe(400)
    expect((error as GatewayError).message).toContain(reason)
  })

  it('allows the same key in different objects', () => {
    expect(parseJsonValues('{"a":{"type":1},"b":{"type":2}}')).toEqual([{ a: { type: 1 }, b: { type: 2 } }])
  })
})
