// The one configuration schema: shape, defaults and validation of everything the gateway reads.
import { z } from 'zod'
import { isOriginEntry } from '../edge/origin-matcher.js'

const httpUrl = z
  .string({ error: 'must be an http(s) URL' })
  .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), 'must be an http(s) URL')

/** A secret given inline, by environment variable name or by file path (the file form is re-read on change). */
export const secretSourceSchema = z.union(
  [
    z.object({ value: z.string().min(1, 'must not be empty') }).strict(),
    z.object({ env: z.string().min(1) }).strict(),
    z.object({ file: z.string().min(1) }).strict(),
  ],
  { error: 'must be one of { value }, { env } or { file }' },
)
export type SecretSource = z.infer<typeof secretSourceSchema>

/** Signature algorithms an issuer may allow: asymmetric ones, or HMAC ones with a shared secret. Never `none`. */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const
export const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const
const algorithmSchema = z.enum([...ASYMMETRIC_ALGORITHMS, ...HMAC_ALGORITHMS], {
  error: (issue) =>
    String(issue.input).toLowerCase() === 'none'
      ? '"none" can never be enabled'
      : `must be one of ${[...ASYMMETRIC_ALGORITHMS, ...HMAC_ALGORITHMS].join(', ')}`,
})

/** A static public key: PEM text, a JWK, or a file holding either (or a JWKS). `kid` matches the token's `kid`. */
const publicKeySchema = z.union(
  [
    z.object({ pem: z.string().min(1), kid: z.string().min(1).optional() }).strict(),
    z.object({ jwk: z.looseObject({ kty: z.string() }) }).strict(),
    z.object({ file: z.string().min(1), kid: z.string().min(1).optional() }).strict(),
  ],
  { error: 'must be one of { pem }, { jwk } or { file }' },
)
export type PublicKeySource = z.infer<typeof publicKeySchema>

const issuerSchema = z
  .object({
    issuer: z.string({ error: 'is required (the token `iss`)' }).min(1),
    audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], { error: 'is required' }),
    // Exactly one key source (checked below).
    jwksUrl: httpUrl.optional(),
    publicKeys: z.array(publicKeySchema).min(1).optional(),
    secret: secretSourceSchema.optional(),
    /** Default: every asymmetric algorithm, or HS256 for a `secret` (HS384/HS512 need longer secrets). */
    algorithms: z.array(algorithmSchema).min(1).optional(),
    clockToleranceSeconds: z.number().int().min(0).max(300).default(30),
    /** Refuse tokens whose `iat` is older than this (then `iat` is required). */
    maxTokenAgeSeconds: z.number().int().positive().optional(),
    /** Expected JOSE `typ` header, e.g. `at+jwt` (RFC 9068). */
    typ: z.string().min(1).optional(),
    /** Claims that must be present, beyond `exp` and the subject claim (always required). */
    requiredClaims: z.array(z.string().min(1)).default([]),
    subjectClaim: z.string().min(1).default('sub'),
    tenantClaim: z.string().min(1).optional(),
    /** Claim holding the scopes (space-separated string or array). Default: `scope`, else `scp`. */
    scopesClaim: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((issuer, ctx) => {
    const sources = (['jwksUrl', 'publicKeys', 'secret'] as const).filter((key) => issuer[key] !== undefined)
    if (sources.length !== 1) {
      const found = sources.length === 0 ? 'none' : sources.join(' and ')
      ctx.addIssue({
        code: 'custom',
        message: `needs exactly one key source (jwksUrl, publicKeys or secret); has ${found}`,
      })
    }
    const hmac = issuer.algorithms?.filter((alg) => alg.startsWith('HS')) ?? []
    if (issuer.secret && hmac.length !== issuer.algorithms?.length && issuer.algorithms) {
      ctx.addIssue({
        code: 'custom',
        path: ['algorithms'],
        message: 'an HMAC secret allows only HS256, HS384, HS512: asymmetric algorithms need their own issuer',
      })
    }
    if (!issuer.secret && hmac.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['algorithms'],
        message: `${hmac.join(', ')} need a \`secret\`: HMAC is never allowed with public keys (key confusion)`,
      })
    }
  })
  .transform((issuer) => ({
    ...issuer,
    algorithms: issuer.algorithms ?? (issuer.secret ? ['HS256' as const] : [...ASYMMETRIC_ALGORITHMS]),
  }))
export type IssuerConfig = z.infer<typeof issuerSchema>

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

export const configSchema = z
  .object({
    server: z
      .object({
        host: z.string().default('0.0.0.0'),
        port: z.number().int().min(0).max(65535).default(8080),
        /** The URL clients use to reach the gateway; rewrites `base_uri`. Absent: the request's own origin. */
        publicUrl: httpUrl.optional(),
      })
      .strict()
      .default({ host: '0.0.0.0', port: 8080 }),
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
        timeoutMs: z.number().int().positive().default(30_000),
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
      }),
    auth: z
      .object({
        issuers: z
          .array(issuerSchema)
          .min(1, 'needs at least one issuer')
          .refine((issuers) => new Set(issuers.map(({ issuer }) => issuer)).size === issuers.length, {
            message: 'lists the same issuer twice',
          }),
        /** Accept the bare `X-Auth-Token: <jwt>` header that Message Hub clients send. */
        xAuthToken: z.boolean().default(true),
        /** Accept `?access_token=` (browsers' EventSource cannot set headers); it is removed before forwarding. */
        queryToken: z.boolean().default(false),
        realm: z
          .string()
          .regex(/^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/, 'must be printable ASCII without quotes or backslashes')
          .default('kafka-rest-gateway'),
        /** Longer tokens are refused before any parsing. */
        maxTokenBytes: z.number().int().min(256).max(65_536).default(8192),
        /** Verified tokens kept (0 disables the cache). */
        tokenCacheSize: z.number().int().min(0).default(10_000),
        /** How long a refused token is answered from memory without verifying it again (0 disables). */
        negativeCacheSeconds: z.number().int().min(0).max(60).default(5),
        jwks: z
          .object({
            timeoutMs: z.number().int().positive().default(5000),
            /** At most one fetch per this many seconds, whatever unknown `kid`s arrive. */
            cooldownSeconds: z.number().int().min(1).default(30),
            refreshSeconds: z.number().int().min(1).default(300),
            maxBytes: z.number().int().min(1024).default(131_072),
          })
          .strict()
          .prefault({}),
      })
      .strict(),
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
    log: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      })
      .strict()
      .default({ level: 'info' }),
  })
  .strict()

export type Config = z.infer<typeof configSchema>
export type ConfigInput = z.input<typeof configSchema>
