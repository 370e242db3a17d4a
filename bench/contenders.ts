// Who is measured and how each one is called: the upstream key for the plain proxies, JWTs for the gateway.
import http from 'node:http'
import { BENCH_SUBJECT } from './gateway-config.js'
import type { ContenderName } from './results.js'
import type { Environment, Target } from './targets.js'
import { V2 } from './workloads.js'

export interface Contender {
  name: ContenderName
  target: Target
  /** Credentials (and nothing else) this contender's requests carry. */
  auth: Readonly<Record<string, string>>
  /** The cold contender sends a different token each request, round-robin over these. */
  rotateTokens?: readonly string[]
  /** Path of a consumer instance created through this contender (v2 consume and long polls). */
  consumer: string
}

/** More distinct tokens than the gateway's token cache holds (10,000 by default), so every request misses it. */
export const COLD_TOKENS = 12_000

export async function prepareContenders(env: Environment, withCold: boolean): Promise<Contender[]> {
  const token = await env.issuer.mint({ sub: BENCH_SUBJECT })
  // Same user, a new token each time (unique `jti`): what a client that fetches a token per request looks like.
  const coldTokens = withCold
    ? await Promise.all(
        Array.from({ length: COLD_TOKENS }, (_, i) => env.issuer.mint({ sub: BENCH_SUBJECT, jti: `c${i}` })),
      )
    : []
  const contenders: Contender[] = []
  for (const target of env.targets) {
    const auth: Record<string, string> =
      target.name === 'gateway' || target.name === 'express'
        ? { authorization: `Bearer ${token}` }
        : { 'x-auth-token': env.apiKey }
    const consumer = await createConsumer(target, auth)
    contenders.push({ name: target.name, target, auth, consumer })
    if (target.name === 'gateway' && withCold) {
      contenders.push({ name: 'gateway-cold', target, auth: {}, rotateTokens: coldTokens, consumer })
    }
  }
  return contenders
}

/** POST /consumers/{group} through the target; the consumer path comes from the (possibly rewritten) base_uri. */
function createConsumer(target: Target, auth: Readonly<Record<string, string>>): Promise<string> {
  const body = JSON.stringify({ name: `bench-${target.name}`, format: 'binary', 'auto.offset.reset': 'earliest' })
  const headers = { ...auth, 'content-type': V2, accept: V2, 'content-length': String(Buffer.byteLength(body)) }
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${target.url}/consumers/bench-group`,
      { method: 'POST', headers, agent: false },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          text += chunk
        })
        res.on('end', () => {
          if (res.statusCode !== 200)
            return reject(new Error(`consumer creation via ${target.name}: ${res.statusCode} ${text}`))
          resolve(new URL((JSON.parse(text) as { base_uri: string }).base_uri).pathname)
        })
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}
