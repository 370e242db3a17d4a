// The authz section: topic permissions by rule or scope, and consumer group / instance ownership.
import { z } from 'zod'

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
    /** Topics the matching callers may create, delete and reconfigure (v3 API); `*` also allows ACLs and broker configs. */
    admin: z.array(topicPattern).optional(),
  })
  .strict()
  .refine(
    (rule) => rule.produce !== undefined || rule.consume !== undefined || rule.admin !== undefined,
    'needs `produce`, `consume` or `admin` topics',
  )

export const authzSchema = z
  .object({
    /** Off: any verified caller may produce to and consume from any topic. */
    enabled: z.boolean().default(false),
    rules: z.array(authzRuleSchema).default([]),
    /** Scopes `<prefix>:produce|consume|admin:<pattern>` grant topics too; null: scopes grant nothing. */
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
        /** Live instances one caller (issuer + subject) may own at once; one more create is refused with 429. */
        maxInstancesPerCaller: z.number().int().positive().max(10_000).default(32),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({})
