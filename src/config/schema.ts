// The one configuration schema: shape, defaults and validation of everything the gateway reads.
import { z } from 'zod'
import { authSchema } from './auth-schema.js'
import { authzSchema } from './authz-schema.js'
import { corsSchema } from './cors-schema.js'
import { checkIssuerScopedRules } from './issuer-scoped-rules.js'
import { policySchema } from './policy-schema.js'
import { rateLimitSchema } from './rate-limit-schema.js'
import { serverSchema } from './server-schema.js'
import { upstreamSchema } from './upstream-schema.js'

export type { IssuerConfig, PublicKeySource } from './auth-schema.js'
export { routeClasses } from './rate-limit-schema.js'
export { type SecretSource, secretSourceSchema } from './schema-parts.js'
export { type ServerConfig, serverSchema } from './server-schema.js'

export const configSchema = z
  .object({
    server: serverSchema.prefault({}),
    upstream: upstreamSchema,
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
        message: 'is required when audit.output is `file`',
        path: ['file'],
      })
      .default({ output: 'off' }),
    policy: policySchema,
    cors: corsSchema,
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
  .superRefine(checkIssuerScopedRules)

export type Config = z.infer<typeof configSchema>
export type RateLimitConfig = Config['rateLimit']
export type LimitOverride = RateLimitConfig['overrides'][number]
export type ConfigInput = z.input<typeof configSchema>
