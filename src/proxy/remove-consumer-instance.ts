// Deletes one consumer instance upstream on the gateway's own behalf (a create whose ownership claim was refused).
import http from 'node:http'
import https from 'node:https'
import type { ConnectionOptions } from 'node:tls'
import type { Identity } from '../auth/identity.js'
import type { InstanceName } from '../authz/consumer-ownership.js'
import type { Config } from '../config/schema.js'
import { MEDIA as KAFKA_MEDIA } from '../policy/kafka-media.js'
import type { UpstreamKeys } from './upstream-keys.js'
import { upstreamPath, upstreamTarget } from './upstream-target.js'

export type RemoveConsumerInstance = (identity: Identity, name: InstanceName) => Promise<void>

/** The API version's own media type routes the DELETE to the right manager upstream (v1 and v2 hold instances apart). */
const MEDIA = { v1: KAFKA_MEDIA.V1, v2: KAFKA_MEDIA.V2 } as const

export function createConsumerInstanceRemover(
  upstream: Config['upstream'],
  keys: UpstreamKeys,
  tls: ConnectionOptions = {},
): RemoveConsumerInstance {
  // The same path prefix, query and credentials from the upstream URL as every forwarded request.
  const target = upstreamTarget(upstream.url)
  const send = target.isHttps ? https.request : http.request
  const { hostname, port, auth } = target
  return (identity, { namespace, group, instance }) =>
    new Promise((resolve, reject) => {
      const path = upstreamPath(
        target,
        `/consumers/${encodeURIComponent(group)}/instances/${encodeURIComponent(instance)}`,
      )
      const headers = {
        'x-auth-token': keys.forIdentity(identity).value,
        'content-type': MEDIA[namespace],
        accept: MEDIA[namespace],
      }
      const options = { ...tls, hostname, port, auth, method: 'DELETE', path, headers, timeout: upstream.timeoutMs }
      const req = send(options, (res) => {
        res.resume()
        res.on('end', () => {
          const status = res.statusCode ?? 0
          // 404: already gone (deleted or expired), which is what was wanted.
          if ((status >= 200 && status < 300) || status === 404) resolve()
          else reject(new Error(`the Kafka REST proxy answered ${status}`))
        })
        res.on('error', reject)
      })
      req.on('timeout', () => req.destroy(new Error('the Kafka REST proxy did not answer in time')))
      req.on('error', reject)
      req.end()
    })
}
