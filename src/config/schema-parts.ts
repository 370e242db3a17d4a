// Schema pieces shared by several config sections: http(s) URLs, secret sources, durations, TLS versions.
import { z } from 'zod'

export const httpUrl = z
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

/** A positive duration in milliseconds. */
export const millis = z.number().int().positive()
export const tlsVersion = z.enum(['TLSv1.2', 'TLSv1.3']).default('TLSv1.2')
