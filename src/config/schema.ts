// The one configuration schema: shape, defaults and validation of everything the gateway reads.
import { z } from 'zod'
import { isOriginEntry } from '../edge/origin-matcher.js'
import { authSchema } from './auth-schema.js'
import { httpUrl, secretSourceSchema } from './schema-parts.js'

export type { IssuerConfig, PublicKeySource } from './auth-schema.js'
export { type SecretSource, secretSourceSchema } from './schema-parts.js'

/** `orders.*`, `{tenant}.*`: Kafka topic characters, `*` (any characters), `?` (one), `{tenant}` and `{subject}`. */
const topicPattern = z
  .string()
  .regex(
    /^(?:[A-Za-z0-9._*?-]|\{(?:tenant|subject)\})+$/,
    'must be a topic pattern: topic characters, * and ?, {tenant} or {subject}',
  )

const authzRuleSchema = z
  .object({
    /** Conditions, all of which must hold (none: the rule applies to every caller). */
    issuer: z.string().min(1).optional(),
    tenant: z.string().min(1).optional(),
    subject: z.string().min(1).optional(),
    scope: z.string().min(1).optional(),
    /** Topics the matching callers may produce to / consume from. */
    produce: z.array(topicPattern).optional(),
    consume: z.array(topicPattern).optional(),
  })
  .strict()
  .refine((rule) => rule.produce !== undefined || rule.consume !== undefined, 'needs `produce` or `consume` topics')

const authzSchema = z
  .object({
    /** Off: any verified caller may produce to and consume from any topic. */
    enabled: z.boolean().default(false),
    rules: z.array(authzRuleSchema).default([]),
    /** Scopes `<prefix>:produce:<pattern>` and `<prefix>:consume:<pattern>` grant topics too; null: scopes grant nothing. */
    scopePrefix: z.string().min(1).nullable().default('kafka'),
    /** GET /topics lists only the topics the caller may produce to or consume from. */
    filterTopicList: z.boolean().default(true),
    /** Metadata of a topic the caller may not use answers 404, exactly like a topic that does not exist. */
    hideTopics: z.boolean().default(true),
    /** Consumer groups and instances; independent of `enabled`. */
    consumers: z
      .object({
        /** An instance belongs to the subject that created it; anyone else gets the proxy's 404 for unknown instances. */
        ownership: z.boolean().default(true),
        /** `tenant`: a caller may use only groups named `<tenant>.…`. */
        groupPrefix: z.enum(['none', 'tenant']).default('none'),
        /** Ownership records expire after this long unused, like the REST proxy's idle instances. */
        instanceTimeoutSeconds: z.number().int().positive().default(300),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({})

const keyMappingSchema = z
  .object({
    issuer: z.string().min(1).optional(),
    tenant: z.string().min(1).optional(),
    key: z.string().min(1),
  })
  .strict()
  .refine((rule) => rule.issuer !== undefined || rule.tenant !== undefined, 'needs an issuer, a tenant or both')

/** `/admin/**` or `DELETE /consumers/**`: `*` is one path segment, `**` any number of them. */
const denyPattern = z
  .string()
  .regex(/^(?:[A-Za-z]+ )?\/\S*$/, 'must be a path pattern like "/admin/**" or "DELETE /consumers/**"')

const policySchema = z
  .object({
    /** Forward only the routes of the Kafka REST route table; everything else is refused with 403. */
    strict: z.boolean().default(false),
    /** Path patterns refused with 403 (a single string is one pattern). */
    deny: z.preprocess((value) => (typeof value === 'string' ? [value] : value), z.array(denyPattern)).default([]),
    /** Largest consumer-creation body the gateway reads (bytes); larger ones are refused with 413. */
    maxJsonBody: z.number().int().min(1024).max(1_048_576).default(65_536),
    /** Largest v3 produce body the gateway reads to check record types (bytes); larger ones get 413. */
    maxV3Body: z.number().int().min(1024).max(67_108_864).default(1_048_576),
  })
  .strict()
  .prefault({})
// rateLimit: request rates per route class, produce quotas, the pre-auth limit and the store.
const count = z.number().int().positive()
export const routeClasses = ['produce', 'consume', 'consumer-lifecycle', 'metadata', 'other'] as const

const rateSchema = z.object({ requests: count.optional(), windowSeconds: count.optional() }).strict()

/** Everything a per-subject or per-tenant override may change; what it leaves out keeps the default. */
const limitsShape = {
  requests: count.optional(),
  windowSeconds: count.optional(),
  classes: z.partialRecord(z.enum(routeClasses), rateSchema).optional(),
  produce: z
    .object({ bytesPerWindow: count.optional(), recordsPerWindow: count.optional(), maxBodyBytes: count.optional() })
    .strict()
    .optional(),
  consume: z.object({ maxConcurrent: count.optional() }).strict().optional(),
}

const overrideSchema = z
  .object({ subject: z.string().min(1).optional(), tenant: z.string().min(1).optional(), ...limitsShape })
  .strict()
  .refine(
    (entry) => (entry.subject === undefined) !== (entry.tenant === undefined),
    'needs exactly one of subject, tenant',
  )

const redisUrl = z
  .string()
  .refine(
    (value) => URL.canParse(value) && /^rediss?:$/.test(new URL(value).protocol),
    'must be a redis:// or rediss:// URL',
  )

const rateLimitSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** The default for every route class: bursts up to `requests`, refilled evenly over `windowSeconds`. */
    requests: count.default(6000),
    windowSeconds: count.default(60),
    /** Whose budget a request spends: the verified subject, or its tenant claim (subject when it has none). */
    keyBy: z.enum(['subject', 'tenant']).default('subject'),
    classes: z.partialRecord(z.enum(routeClasses), rateSchema).default({}),
    produce: z
      .object({
        /** Request body bytes per window (the produce class's window); absent: unlimited. */
        bytesPerWindow: count.optional(),
        /** Records per window, counted as the body streams; absent: unlimited. */
        recordsPerWindow: count.optional(),
        maxBodyBytes: count.default(10 * 1024 * 1024),
      })
      .strict()
      .prefault({}),
    consume: z
      .object({ /** Long-poll consume requests in flight per caller. */ maxConcurrent: count.default(10) })
      .strict()
      .prefault({}),
    overrides: z.array(overrideSchema).default([]),
    /** Per client IP, before any signature is checked: requests without a valid token. Per replica by design. */
    preAuth: z
      .object({ enabled: z.boolean().default(true), failures: count.default(60), windowSeconds: count.default(60) })
      .strict()
      .prefault({}),
    /** Proxy hops in front of the gateway whose X-Forwarded-For is believed; 0: the socket address is the client. */
    trustProxy: z.number().int().min(0).max(10).default(0),
    /** What a request gets while Redis cannot answer: let through (logged, counted) or 503. */
    onStoreError: z.enum(['failOpen', 'failClosed']).default('failOpen'),
    redis: z
      .object({
        /** Absent: limits live in this process's memory. */
        url: redisUrl.optional(),
        cluster: z.boolean().default(false),
        keyPrefix: z.string().default('kafka-rest-gateway:'),
        commandTimeoutMs: count.max(5_000).default(150),
      })
      .strict()
      .prefault({}),
    memory: z
      .object({ maxKeys: count.default(100_000) })
      .strict()
      .prefault({}),
  })
  .strict()

const port = z.number().int().min(0).max(65535)
const millis = z.number().int().positive()
const tlsVersion = z.enum(['TLSv1.2', 'TLSv1.3']).default('TLSv1.2')

/** The HTTPS listener: PEM files, re-read when they change (certificate renewal without a restart). */
const serverTlsSchema = z
  .object({
    certFile: z.string().min(1),
    keyFile: z.string().min(1),
    minVersion: tlsVersion,
    /** How often the files are checked for changes. */
    reloadIntervalMs: millis.default(10_000),
  })
  .strict()

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

/** The listener settings; `listen()` accepts a partial one and fills the defaults. */
export const serverSchema = z
  .object({
    host: z.string().default('0.0.0.0'),
    port: z.number().int().min(0).max(65535).default(8080),
    /** The URL clients use to reach the gateway; rewrites `base_uri`. Absent: the request's own origin. */
    publicUrl: httpUrl.optional(),
    /** A second listener for /metrics, /healthz and /readyz only (same host). */
    adminPort: port.optional(),
    /** Worker processes (node:cluster) for a central deployment; more than 1 needs the Redis store. */
    workers: z.number().int().min(1).max(256).default(1),
    /** Client timeouts: all request headers (slowloris), the whole request, idle keep-alive connections. */
    headersTimeoutMs: millis.default(10_000),
    requestTimeoutMs: millis.default(60_000),
    keepAliveTimeoutMs: millis.default(5_000),
    /** On SIGTERM/SIGINT, how long in-flight requests may take before they are answered 503 and cut. */
    shutdownGraceMs: z.number().int().min(0).default(25_000),
    /** Request header limits; above them the answer is 431. */
    maxHeaderBytes: z.number().int().min(1024).max(1_048_576).default(16_384),
    maxHeaders: z.number().int().min(10).max(2000).default(100),
    tls: serverTlsSchema.optional(),
  })
  .strict()
  .refine((server) => server.headersTimeoutMs <= server.requestTimeoutMs, {
    message: 'headersTimeoutMs must not exceed requestTimeoutMs',
    path: ['headersTimeoutMs'],
  })
  .refine((server) => server.adminPort === undefined || server.adminPort !== server.port || server.port === 0, {
    message: 'must differ from server.port',
    path: ['adminPort'],
  })
export type ServerConfig = z.infer<typeof serverSchema>

export const configSchema = z
  .object({
    server: serverSchema.prefault({}),
    upstream: z
      .object({
        url: httpUrl,
        /** Named upstream API keys; `default` is used unless a mapping picks another. */
        keys: z
          .record(z.string(), secretSourceSchema)
          .refine((keys) => 'default' in keys, 'must define a `default` key'),
        /** Which key a caller gets: the most specific rule (issuer + tenant, then tenant, then issuer) wins. */
        keyMapping: z.array(keyMappingSchema).default([]),
        /** How often key files are checked for a change (0: only on SIGHUP). */
        keyReloadIntervalMs: z.number().int().min(0).default(1_000),
        timeoutMs: millis.default(30_000),
        /** Until the TCP connection (and TLS handshake) to the REST proxy is up; then 504. */
        connectTimeoutMs: millis.default(5_000),
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
      }),
    auth: authSchema,
    authz: authzSchema,
    audit: z
      .object({
        /** One JSON line per produce / consume / consumer-lifecycle request: off, to stdout, or appended to `file`. */
        output: z.enum(['off', 'stdout', 'file']).default('off'),
        file: z.string().min(1).optional(),
      })
      .strict()
      .refine((audit) => audit.output !== 'file' || audit.file !== undefined, {
        message: 'needs `file` when output is `file`',
        path: ['file'],
      })
      .default({ output: 'off' }),
    policy: policySchema,
    cors: z
      .object({
        /** Browser origins allowed to call the gateway: `https://app.example.com` or `https://*.example.com`. */
        origins: z
          .preprocess(
            (value) => (typeof value === 'string' ? [value] : value),
            z.array(
              z
                .string()
                .refine(
                  isOriginEntry,
                  'must be origins like https://app.example.com or https://*.example.com (no path)',
                ),
            ),
          )
          .default([]),
        /** Adds `Access-Control-Allow-Credentials: true` (the allowed origin is still echoed, never `*`). */
        credentials: z.boolean().default(false),
        /** How long browsers may cache a preflight answer. */
        maxAgeSeconds: z.number().int().min(0).max(86_400).default(600),
      })
      .strict()
      .default({ origins: [], credentials: false, maxAgeSeconds: 600 }),
    rateLimit: rateLimitSchema.prefault({}),
    log: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
        /** Also log /healthz, /readyz and /metrics requests (probes are frequent and usually noise). */
        probes: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    metrics: z
      .object({
        /** Serve /metrics on the main port too. Off by default: it tells anyone traffic and refusal patterns. */
        onMainPort: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .refine((config) => config.server.workers === 1 || config.rateLimit.redis.url !== undefined, {
    message:
      'more than 1 needs rateLimit.redis.url (GATEWAY_REDIS_URL): the processes must share rate limits and consumer ownership',
    path: ['server', 'workers'],
  })

export type Config = z.infer<typeof configSchema>
export type RateLimitConfig = Config['rateLimit']
export type LimitOverride = RateLimitConfig['overrides'][number]
export type ConfigInput = z.input<typeof configSchema>
