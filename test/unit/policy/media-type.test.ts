// RFC 9110 media-type parsing: case, parameters, whitespace, quoted strings, weights, list elements, malformed input.
import { describe, expect, it } from 'vitest'
import { parseAccept, parseContentType } from '../../../src/policy/media-type.js'

describe('parseContentType', () => {
  it.each([
    ['application/vnd.kafka.binary.v2+json', 'application/vnd.kafka.binary.v2+json'],
    ['APPLICATION/VND.KAFKA.AVRO.V2+JSON', 'application/vnd.kafka.avro.v2+json'],
    ['  application/json  ', 'application/json'],
    ['application/json; charset=utf-8', 'application/json'],
    ['application/json;charset="utf-8"', 'application/json'],
    ['application/json ;\tcharset=utf-8 ; x="a;b,c"', 'application/json'],
    ['application/json;', 'application/json'],
    ['application/json; ;', 'application/json'],
  ])('reads %j as %j', (value, essence) => {
    expect(parseContentType(value)).toBe(essence)
  })

  it.each([
    '',
    'application',
    'application/',
    '/json',
    'application /json',
    'application/json, application/vnd.kafka.avro.v2+json',
    'application/json; charset',
    'application/json; charset=',
    'application/json; charset="utf-8',
    'application/json x',
    'applicatión/json',
  ])('refuses the malformed %j', (value) => {
    expect(parseContentType(value)).toBeUndefined()
  })
})

describe('parseAccept', () => {
  it('reads several ranges with weights, wildcards and parameters', () => {
    expect(parseAccept('application/vnd.kafka.v1+json, application/vnd.kafka+json; q=0.9, */*;Q=0.1')).toEqual([
      { type: 'application', subtype: 'vnd.kafka.v1+json', essence: 'application/vnd.kafka.v1+json', q: 1 },
      { type: 'application', subtype: 'vnd.kafka+json', essence: 'application/vnd.kafka+json', q: 0.9 },
      { type: '*', subtype: '*', essence: '*/*', q: 0.1 },
    ])
  })

  it.each([
    ['', []],
    [' , ,', []],
    ['application/*;q=0', [0]],
    ['text/plain;q=1.000', [1]],
    ['text/plain;q=0.', [0]],
    ['text/plain; level="1,2"; q=0.5 , text/html', [0.5, 1]],
    ['x/y, z/w', [1, 1]],
  ])('reads %j with weights %j', (value, weights) => {
    expect(parseAccept(value)?.map((range) => range.q)).toEqual(weights)
  })

  it.each([
    'text/plain;q=2',
    'text/plain;q=-1',
    'text/plain;q=abc',
    'text/plain;q=0.5;q=1',
    '*/json',
    'text/plain text/html',
    'text/plain;q',
    'text',
  ])('refuses the malformed %j', (value) => {
    expect(parseAccept(value)).toBeUndefined()
  })
})
