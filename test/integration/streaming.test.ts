// Proxied bodies stream: a 10 MiB produce goes through without the gateway's heap growing by its size.
import http from 'node:http'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type RecordingUpstream, startRecordingUpstream } from '../support/recording-upstream.js'
import { type Stack, startStack } from '../support/stack.js'

let stack: Stack
let upstream: RecordingUpstream

beforeAll(async () => {
  upstream = await startRecordingUpstream()
  stack = await startStack({ configure: (input) => ({ ...input, upstream: { ...input.upstream, url: upstream.url } }) })
})
afterAll(async () => {
  await stack.close()
  await upstream.close()
})

const MiB = 1024 * 1024

/** Sends `total` bytes in 64 KiB chunks, never holding the whole body; resolves with the peak heap seen meanwhile. */
function uploadInChunks(url: string, token: string, total: number): Promise<{ status: number; peakHeap: number }> {
  return new Promise((resolve, reject) => {
    let peakHeap = 0
    const chunk = Buffer.alloc(64 * 1024, 'A')
    const req = http.request(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/vnd.kafka.binary.v1+json' },
    })
    req.on('response', (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode ?? 0, peakHeap }))
    })
    req.on('error', reject)
    let sent = 0
    const writeMore = () => {
      while (sent < total) {
        peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)
        sent += chunk.length
        if (!req.write(chunk)) return void req.once('drain', writeMore)
      }
      req.end()
    }
    writeMore()
  })
}

it('streams a 10 MiB produce to upstream with heap growth under 20 MiB', async () => {
  const token = await stack.token()
  const before = process.memoryUsage().heapUsed
  const { status, peakHeap } = await uploadInChunks(`${stack.url}/topics/big`, token, 10 * MiB)
  expect(status).toBe(200)
  expect(upstream.seen.at(-1)?.bytes).toBe(10 * MiB)
  expect(peakHeap - before).toBeLessThan(20 * MiB)
})
