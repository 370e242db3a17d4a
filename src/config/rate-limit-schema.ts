// The rateLimit section: request rates per route class, produce quotas, the pre-auth limit and the store.
import { z } from 'zod'

const count = z.number().int().positive()
export const routeClasses = ['produce', 'consume', 'consumer-lifecycle', 'metadata', 'admin', 'other'] as const

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
  .object({
    /** Whose subject or tenant claim this is; required as soon as more than one issuer is configured. */
    issuer: z.string().min(1).optional(),
    subject: z.string().min(1).optional(),
    tenant: z.string().min(1).optional(),
    ...limitsShape,
  })
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

export const rateLimitSchema = z
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
