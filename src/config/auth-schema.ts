// The `auth` config section: issuers (one key source each, or OIDC discovery), token sources, caches and JWKS limits.
import { z } from 'zod'
import { httpUrl, secretSourceSchema } from './schema-parts.js'

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
    // At most one key source (checked below); none means OIDC discovery from an http(s) `issuer`.
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
    if (sources.length > 1) {
      ctx.addIssue({
        code: 'custom',
        message: `needs one key source (jwksUrl, publicKeys or secret), not ${sources.join(' and ')}`,
      })
    }
    if (sources.length === 0 && !isHttpUrl(issuer.issuer)) {
      ctx.addIssue({
        code: 'custom',
        message:
          'needs a key source (jwksUrl, publicKeys or secret), or an http(s) issuer URL whose keys OIDC discovery finds',
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

function isHttpUrl(value: string): boolean {
  return URL.canParse(value) && /^https?:$/.test(new URL(value).protocol)
}

export const authSchema = z
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
  .strict()
