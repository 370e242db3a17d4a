// The cors section: browser origins allowed to call the gateway, credentials, preflight caching.
import { z } from 'zod'
import { isOriginEntry } from './origin-entry.js'

export const corsSchema = z
  .object({
    /** Browser origins allowed to call the gateway: `https://app.example.com` or `https://*.example.com`. */
    origins: z
      .preprocess(
        (value) => (typeof value === 'string' ? [value] : value),
        z.array(
          z
            .string()
            .refine(isOriginEntry, 'must be origins like https://app.example.com or https://*.example.com (no path)'),
        ),
      )
      .default([]),
    /** Adds `Access-Control-Allow-Credentials: true` (the allowed origin is still echoed, never `*`). */
    credentials: z.boolean().default(false),
    /** How long browsers may cache a preflight answer. */
    maxAgeSeconds: z.number().int().min(0).max(86_400).default(600),
  })
  .strict()
  .default({ origins: [], credentials: false, maxAgeSeconds: 600 })
