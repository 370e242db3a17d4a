import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { mountPathOf } from '../../../src/proxy/mount-path.js'

const request = (fields: { url?: string; baseUrl?: unknown; originalUrl?: unknown }) =>
  fields as unknown as IncomingMessage

describe('mountPathOf', () => {
  it('is empty on a bare node:http server', () => {
    expect(mountPathOf(request({ url: '/consumers/g' }))).toBe('')
  })

  it.each([
    ['/kafka', '/kafka'],
    ['/api/v1/kafka', '/api/v1/kafka'],
    ['/kafka/', '/kafka'],
    ['', ''],
    ['/', ''],
    ['/Tenants/a%20b', '/Tenants/a%20b'],
  ])('takes Express baseUrl %j as %j', (baseUrl, expected) => {
    expect(mountPathOf(request({ url: '/consumers/g', baseUrl, originalUrl: `${baseUrl}/consumers/g` }))).toBe(expected)
  })

  it('prefers baseUrl to originalUrl (Express sets both)', () => {
    expect(mountPathOf(request({ url: '/topics', baseUrl: '/kafka', originalUrl: '/other/topics' }))).toBe('/kafka')
  })

  it.each([
    ['/kafka/topics', '/topics', '/kafka'],
    ['/kafka/topics?access_token=x', '/topics', '/kafka'],
    ['/kafka/topics/', '/topics/', '/kafka'],
    ['/kafka', '/', '/kafka'],
    ['/kafka/', '/', '/kafka'],
    ['/topics', '/topics', ''],
    ['/elsewhere', '/topics', ''],
  ])('derives the prefix of a connect-style mount from originalUrl %j and url %j', (originalUrl, url, expected) => {
    expect(mountPathOf(request({ url, originalUrl }))).toBe(expected)
  })

  it.each([
    ['kafka', ''],
    ['/a b', '/a%20b'],
    ['/a"<x>', '/a%22%3Cx%3E'],
    ['/a\\b', '/a%5Cb'],
    ['/a#b', '/a%23b'],
    ['/a?b', '/a%3Fb'],
  ])('never lets baseUrl %j break the URL it goes into (%j)', (baseUrl, expected) => {
    const prefix = mountPathOf(request({ url: '/', baseUrl }))
    expect(prefix).toBe(expected)
    expect(new URL(`http://gw.example${prefix}/consumers/g`).pathname).toBe(`${prefix || ''}/consumers/g`)
  })
})
