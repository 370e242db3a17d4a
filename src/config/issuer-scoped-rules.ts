// With several issuers, a rule that matches a tenant or subject claim must say whose claim it means.
import type { z } from 'zod'

interface Scoped {
  issuer?: string
  tenant?: string
  subject?: string
}

interface RuleSections {
  auth: { issuers: readonly unknown[] }
  upstream: { keyMapping: readonly Scoped[] }
  rateLimit: { overrides: readonly Scoped[] }
  authz: { rules: readonly Scoped[] }
}

/**
 * Tenant and subject names are chosen by each identity provider: issuer B may well issue a token claiming tenant
 * `team-a`, which issuer A's users also carry. A rule without `issuer` would give B's caller A's key, limits or topics.
 */
export function checkIssuerScopedRules(config: RuleSections, ctx: z.RefinementCtx): void {
  if (config.auth.issuers.length < 2) return
  const sections = [
    [['upstream', 'keyMapping'], config.upstream.keyMapping],
    [['rateLimit', 'overrides'], config.rateLimit.overrides],
    [['authz', 'rules'], config.authz.rules],
  ] as const
  for (const [path, rules] of sections) {
    rules.forEach((rule, i) => {
      const claim = rule.tenant !== undefined ? 'tenant' : rule.subject !== undefined ? 'subject' : undefined
      if (claim === undefined || rule.issuer !== undefined) return
      ctx.addIssue({
        code: 'custom',
        path: [...path, i, 'issuer'],
        message: `is required: several issuers are configured and each names its own ${claim}s, so a ${claim} rule must say which issuer's ${claim} it means`,
      })
    })
  }
}
