// JSON bodies as the policy reads them: zero or more values (or records), invalid JSON refused, repeated keys refused.
import { describe, expect, it } from 'vitest'
import { GatewayError } from '../../../src/errors/gateway-error.js'
import {
  forEachJsonRecord,
  MAX_JSON_DEPTH,
  MAX_RECORD_CONTAINERS,
  parseJsonValues,
} from '../../../src/policy/json-values.js'

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

  it.each([
    ['arrays', '['.repeat(65), ']'.repeat(65)],
    ['objects', '{"a":'.repeat(65), '}'.repeat(65)],
    ['a mix inside a later value', '1 [{"a":'.repeat(1).concat('['.repeat(64)), ']'.repeat(64).concat('}]')],
    ['300,000 arrays', '['.repeat(300_000), ']'.repeat(300_000)],
    ['an unclosed 300,000', '['.repeat(300_000), ''],
  ])('refuses nesting deeper than %s allow (%s…) with 400, not a RangeError', (_what, open, close) => {
    const deep = `${open}${close}`
    expect(() => parseJsonValues(deep)).toThrow(/deeper than 64 levels/)
  })

  it('reads nesting of exactly MAX_JSON_DEPTH levels', () => {
    expect(MAX_JSON_DEPTH).toBe(64)
    const [value] = parseJsonValues(`${'['.repeat(64)}${']'.repeat(64)}`)
    let depth = 0
    for (let at: unknown = value; Array.isArray(at); at = at[0]) depth++
    expect(depth).toBe(64)
  })

  it('does not count brackets inside strings', () => {
    const text = `{"a":"${'['.repeat(1000)}"}`
    expect(parseJsonValues(text)).toEqual([{ a: '['.repeat(1000) }])
  })

  it('allows the same key in different objects', () => {
    expect(parseJsonValues('{"a":{"type":1},"b":{"type":2}}')).toEqual([{ a: { type: 1 }, b: { type: 2 } }])
  })
})

describe('forEachJsonRecord', () => {
  const recordsOf = async (text: string) => {
    const records: unknown[] = []
    await forEachJsonRecord(text, (record) => records.push(record))
    return records
  }

  it.each([
    ['', []],
    ['{"a":1}{"a":2}', [{ a: 1 }, { a: 2 }]],
    ['[{"a":1},{"a":2}]', [{ a: 1 }, { a: 2 }]],
    ['[[{"a":1}],[],[[{"a":2}]]] {"a":3}', [{ a: 1 }, { a: 2 }, { a: 3 }]],
    [' [ ] [ 1 , "x" , null ] ', [1, 'x', null]],
    ['{"a":[1,2]}', [{ a: [1, 2] }]],
  ])('reads the records of %j, arrays unwrapped', async (text, records) => {
    expect(await recordsOf(text)).toEqual(records)
  })

  it.each([
    ['[1,]', 'not valid JSON'],
    ['[,1]', 'not valid JSON'],
    ['[1 2]', 'not valid JSON'],
    ['[{"a":1}', 'not valid JSON'],
    ['[}', 'not valid JSON'],
    [']', 'not valid JSON'],
    ['{"a":1},{"a":2}', 'not valid JSON'],
    ['[{"a":1,"A":2}]', 'repeats the key "a"'],
    [`${'['.repeat(60)}{"a":[[[[[]]]]]}${']'.repeat(60)}`, 'deeper than 64 levels'],
    [`[{"headers":[${'{},'.repeat(MAX_RECORD_CONTAINERS)}{}]}]`, `more than ${MAX_RECORD_CONTAINERS} arrays`],
  ])('refuses %j with 400', async (text, reason) => {
    const error = await recordsOf(text).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(GatewayError)
    expect((error as GatewayError).status).toBe(400)
    expect((error as GatewayError).message).toContain(reason)
  })

  it('stops at the first record its callback refuses', async () => {
    const seen: unknown[] = []
    const stop = new Error('stop')
    const parsing = forEachJsonRecord('1 2 3 not json', (record) => {
      seen.push(record)
      if (record === 2) throw stop
    })
    await expect(parsing).rejects.toBe(stop)
    expect(seen).toEqual([1, 2])
  })
})
