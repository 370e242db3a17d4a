// TLS both ways, with a CA made at test time: the HTTPS listener (reloaded certificates, minimum version) and an HTTPS
// upstream with a CA bundle and a client certificate; a wrong CA is a 502 that names the TLS failure.

import { copyFileSync } from 'node:fs'
import https from 'node:https'
import type { PeerCertificate, TLSSocket } from 'node:tls'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually } from '../support/eventually.js'
import { b64, V2_BINARY } from '../support/http.js'
import { type Stack, startStack } from '../support/stack.js'
import { createTestCa, type TestCa } from '../support/test-ca.js'
import { startTlsTerminator, type TlsTerminator } from '../support/tls-terminator.js'

let ca: TestCa
let otherCa: TestCa

beforeAll(() => {
  ca = createTestCa()
  otherCa = createTestCa('an unrelated CA')
})
afterAll(() => {
  ca.close()
  otherCa.close()
})

interface HttpsAnswer {
  status: number
  body: string
  peer: PeerCertificate
}

function httpsRequest(url: string, options: https.RequestOptions & { body?: string } = {}): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { ca: ca.ca, agent: false, ...options }, (res) => {
      const peer = (res.socket as TLSSocket).getPeerCertificate()
      let body = ''
      res.on('data', (chunk) => {
        body += chunk
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, peer }))
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

describe('HTTPS listener', () => {
  let stack: Stack
  let served: { certFile: string; keyFile: string }
  let token: string

  beforeAll(async () => {
    const first = ca.issue('gateway')
    // The gateway reads copies, so the test can replace them like a certificate renewal would.
    served = { certFile: `${first.certFile}.served`, keyFile: `${first.keyFile}.served` }
    copyFileSync(first.certFile, served.certFile)
    copyFileSync(first.keyFile, served.keyFile)
    stack = await startStack({
      configure: (input) => ({
        ...input,
        server: { ...input.server, tls: { ...served, minVersion: 'TLSv1.3', reloadIntervalMs: 50 } },
      }),
    })
    token = await stack.token()
  })
  afterAll(() => stack.close())

  it('serves the gateway over HTTPS with the configured certificate', async () => {
    expect(stack.url).toMatch(/^https:\/\//)
    const answer = await httpsRequest(`${stack.url}/topics/over-tls`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': V2_BINARY },
      body: JSON.stringify({ records: [{ value: b64('secure') }] }),
    })
    expect(answer.status).toBe(200)
    expect(answer.peer.subject.CN).toBe('gateway')
    expect(stack.emulator.topicRecords('over-tls').map((r) => r.value?.toString())).toEqual(['secure'])
  })

  it('refuses clients below the minimum TLS version', async () => {
    await expect(httpsRequest(`${stack.url}/healthz`, { maxVersion: 'TLSv1.2' })).rejects.toThrow()
  })

  it('picks up a renewed certificate without a restart', async () => {
    const before = (await httpsRequest(`${stack.url}/healthz`)).peer.serialNumber
    const renewed = ca.issue('gateway-renewed')
    copyFileSync(renewed.keyFile, served.keyFile)
    copyFileSync(renewed.certFile, served.certFile)
    const after = (await eventually(async () => {
      const answer = await httpsRequest(`${stack.url}/healthz`)
      return answer.peer.subject.CN === 'gateway-renewed' && answer
    })) as HttpsAnswer
    expect(after.status).toBe(200)
    expect(after.peer.serialNumber).not.toBe(before)
  })
})

describe('HTTPS upstream', () => {
  let backend: Stack // its emulator is the REST proxy behind the TLS terminators
  let terminator: TlsTerminator
  let mutual: TlsTerminator
  let upstreamStack: (tls: Record<string, string>, url?: string) => Promise<Stack>

  beforeAll(async () => {
    const serverCert = ca.issue('kafka-rest')
    backend = await startStack()
    const behind = backend.emulator.url
    terminator = await startTlsTerminator(behind, { cert: serverCert.cert, key: serverCert.key })
    mutual = await startTlsTerminator(behind, {
      cert: serverCert.cert,
      key: serverCert.key,
      ca: ca.ca,
      requestCert: true,
      rejectUnauthorized: true,
    })
    upstreamStack = (tls, url = terminator.url) =>
      startStack({
        configure: (input) => ({
          ...input,
          // The terminator fronts the first stack's emulator, which accepts that stack's key.
          upstream: {
            ...input.upstream,
            url,
            tls,
            keys: { default: { value: backend.apiKey } },
            healthCheckIntervalMs: 50,
          },
        }),
      })
  })
  afterAll(async () => {
    await terminator.close()
    await mutual.close()
    await backend.close()
  })

  const topics = async (stack: Stack) =>
    fetch(`${stack.url}/topics`, { headers: { authorization: `Bearer ${await stack.token()}` } })

  it('proxies to an https:// REST proxy whose certificate the CA bundle trusts', async () => {
    const stack = await upstreamStack({ caFile: ca.caFile })
    backend.emulator.clearRequests()
    expect((await topics(stack)).status).toBe(200)
    expect(backend.emulator.requests.map((r) => r.headers['x-auth-token'])).toEqual([backend.apiKey])
    expect((await fetch(`${stack.url}/readyz`)).status).toBe(200)
    await stack.close()
  })

  it('presents the client certificate to an upstream that requires one (mTLS)', async () => {
    const client = ca.issue('gateway-client', { usage: 'clientAuth' })
    const stack = await upstreamStack(
      { caFile: ca.caFile, certFile: client.certFile, keyFile: client.keyFile },
      mutual.url,
    )
    expect((await topics(stack)).status).toBe(200)
    await stack.close()
  })

  it('answers 502 naming the TLS failure for a CA bundle that does not sign the upstream certificate, and is not ready', async () => {
    const stack = await upstreamStack({ caFile: otherCa.caFile })
    backend.emulator.clearRequests()
    const res = await topics(stack)
    expect(res.status).toBe(502)
    expect(await res.json()).toMatchObject({
      error: 'UPSTREAM_UNAVAILABLE',
      message: 'The Kafka REST proxy is unavailable: TLS certificate not trusted',
    })
    const readyz = await fetch(`${stack.url}/readyz`)
    expect(readyz.status).toBe(503)
    expect(await readyz.json()).toMatchObject({ reasons: ['upstream: TLS certificate not trusted'] })
    expect(backend.emulator.requests).toEqual([])
    await stack.close()
  })

  it('answers 502 naming the TLS failure when the upstream requires a client certificate the gateway lacks', async () => {
    // (Readiness cannot see this one: with TLS 1.3 the server refuses the client after the handshake completes.)
    const stack = await upstreamStack({ caFile: ca.caFile }, mutual.url)
    const res = await topics(stack)
    expect(res.status).toBe(502)
    expect((await res.json()).message).toBe('The Kafka REST proxy is unavailable: TLS handshake failed')
    await stack.close()
  })

  it('answers 502 naming a host-name mismatch', async () => {
    const elsewhere = ca.issue('elsewhere', { names: ['kafka-rest.other.example'] })
    const wrongName = await startTlsTerminator(terminator.url.replace('https', 'http'), {
      cert: elsewhere.cert,
      key: elsewhere.key,
    })
    const stack = await upstreamStack({ caFile: ca.caFile }, wrongName.url)
    const res = await topics(stack)
    expect(res.status).toBe(502)
    expect((await res.json()).message).toBe(
      'The Kafka REST proxy is unavailable: TLS certificate does not match the host name',
    )
    await stack.close()
    await wrongName.close()
  })
})
