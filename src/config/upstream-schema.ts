// The upstream section: the REST proxy's URL, its API keys and which caller gets which, timeouts, TLS.
import { z } from 'zod'
import { httpUrl, millis, secretSourceSchema, tlsVersion } from './schema-parts.js'

const keyMappingSchema = z
  .object({
    issuer: z.string().min(1).optional(),
    tenant: z.string().min(1).optional(),
    key: z.string().min(1),
  })
  .strict()
  .refine((rule) => rule.issuer !== undefined || rule.tenant !== undefined, 'needs an issuer, a tenant or both')

/** TLS towards the REST proxy: extra CA bundle, optional client certificate (mTLS). Server certificates are always verified. */
const upstreamTlsSchema = z
  .object({
    caFile: z.string().min(1).optional(),
    certFile: z.string().min(1).optional(),
    keyFile: z.string().min(1).optional(),
    minVersion: tlsVersion,
  })
  .strict()
  .refine((tls) => !tls.certFile === !tls.keyFile, 'certFile and keyFile go together (client certificate)')

export const upstreamSchema = z
  .object({
    url: httpUrl,
    /** Named upstream API keys; `default` is used unless a mapping picks another. */
    keys: z.record(z.string(), secretSourceSchema).refine((keys) => 'default' in keys, 'must define a `default` key'),
    /** Which key a caller gets: the most specific rule (issuer + tenant, then tenant, then issuer) wins. */
    keyMapping: z.array(keyMappingSchema).default([]),
    /** How often key files are checked for a change (0: only on SIGHUP). */
    keyReloadIntervalMs: z.number().int().min(0).default(1_000),
    timeoutMs: millis.default(30_000),
    /** Until the TCP connection (and TLS handshake) to the REST proxy is up; then 504. */
    connectTimeoutMs: millis.default(5_000),
    /**
     * A pooled connection to the REST proxy idle this long is closed by the gateway, before the REST proxy closes it
     * (Jetty's default is 30 s, Node's and Apache's 5 s, nginx's 75 s): reusing a connection the server is closing fails.
     */
    keepAliveTimeoutMs: millis.default(4_000),
    /** How often readiness checks in the background that the REST proxy accepts connections. */
    healthCheckIntervalMs: millis.default(10_000),
    tls: upstreamTlsSchema.optional(),
  })
  .strict()
  .superRefine((upstream, ctx) => {
    const seen = new Set<string>()
    upstream.keyMapping.forEach((rule, i) => {
      if (!(rule.key in upstream.keys)) {
        ctx.addIssue({ code: 'custom', path: ['keyMapping', i, 'key'], message: 'names no key in upstream.keys' })
      }
      const match = `${rule.issuer ?? '*'}\n${rule.tenant ?? '*'}`
      if (seen.has(match)) {
        ctx.addIssue({ code: 'custom', path: ['keyMapping', i], message: 'repeats the match of an earlier rule' })
      }
      seen.add(match)
    })
  })
  .refine((upstream) => !upstream.tls || upstream.url.startsWith('https:'), {
    message: 'needs an https:// upstream.url',
    path: ['tls'],
  })
