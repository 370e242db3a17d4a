// With several issuers, a rule that matches a tenant or subject claim must say whose claim it means.
import type { z } from 'zod'

interface Scoped {
  issuer?: string
  tenant?: string
  subject?: string
}

interface TopicRule extends Scoped {
  produce?: readonly string[]
  consume?: readonly string[]
  admin?: readonly string[]
}

interface RuleSections {
  auth: { issuers: ReadonlyArray<{ tenantClaim?: string }> }
  upstream: { keyMapping: readonly Scoped[] }
  rateLimit: { overrides: readonly Scoped[] }
  authz: { rules: readonly TopicRule[]; consumers: { groupPrefix: string } }
}

/**
 * Tenant and subject names are chosen by each identity provider: issuer B may well issue a token claiming tenant
 * `team-a`, which issuer A's users also carry. A rule without `issuer` would give B's caller A's key, limits or topics;
 * so would a `{tenant}` or `{subject}` placeholder in a rule's topics, and tenant group prefixes shared by two issuers.
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
      const claim = claimOf(rule)
      if (claim === undefined || rule.issuer !== undefined) return
      ctx.addIssue({
        code: 'custom',
        path: [...path, i, 'issuer'],
        message: `is required: several issuers are configured and each names its own ${claim}s, so a ${claim} rule must say which issuer's ${claim} it means`,
      })
    })
  }
  const withTenants = config.auth.issuers.filter((issuer) => issuer.tenantClaim !== undefined).length
  if (config.authz.consumers.groupPrefix === 'tenant' && withTenants > 1) {
    ctx.addIssue({
      code: 'custom',
      path: ['authz', 'consumers', 'groupPrefix'],
      message: `cannot be tenant while ${withTenants} issuers carry a tenant claim: a group name has no room for the issuer, so two issuers' tenants of the same name would share their consumer groups (keep the tenant claim on one issuer)`,
    })
  }
}

/** The claim a rule matches on: a tenant or subject condition, or a placeholder in one of its topic patterns. */
function claimOf(rule: TopicRule): 'tenant' | 'subject' | undefined {
  if (rule.tenant !== undefined) return 'tenant'
  if (rule.subject !== undefined) return 'subject'
  const patterns = [...(rule.produce ?? []), ...(rule.consume ?? []), ...(rule.admin ?? [])]
  if (patterns.some((pattern) => pattern.includes('{tenant}'))) return 'tenant'
  if (patterns.some((pattern) => pattern.includes('{subject}'))) return 'subject'
  return undefined
}
