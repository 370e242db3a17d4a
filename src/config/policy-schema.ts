// The policy section: which routes are forwarded at all, and how much JSON the gateway reads.
import { z } from 'zod'

/** `/admin/**` or `DELETE /consumers/**`: `*` is one path segment, `**` any number of them. */
const denyPattern = z
  .string()
  .regex(/^(?:[A-Za-z]+ )?\/\S*$/, 'must be a path pattern like "/admin/**" or "DELETE /consumers/**"')

export const policySchema = z
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
