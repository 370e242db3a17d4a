// Topic permissions: the configured rules and the caller's scopes → what this caller may produce, consume and see.
import type { Identity } from '../auth/identity.js'
import type { Config } from '../config/schema.js'
import { compileTopicTest, TOPIC_PATTERN, type TopicTest } from './topic-pattern.js'

/** `admin`: create, delete and reconfigure a topic (v3 API); admin of `*` also allows cluster-wide administration. */
export type TopicAction = 'produce' | 'consume' | 'admin'

export interface Permission {
  produce: TopicTest
  consume: TopicTest
  admin: TopicTest
  /** Metadata of a topic is visible to whoever may produce, consume or administer it. */
  see: TopicTest
  /** The caller may consume every topic (required for a v2 `topic_pattern` subscription). */
  consumeAll: boolean
  /** The caller may administer every topic (required for ACLs and broker or cluster configuration). */
  adminAll: boolean
}

type AuthzConfig = Config['authz']
type Rule = AuthzConfig['rules'][number]

/** Compiled once at start-up; per caller the result is kept as long as the caller's Identity object lives. */
export function createPermissions(config: AuthzConfig): (identity: Identity) => Permission {
  const rules = config.rules
  const scopePrefixes = config.scopePrefix
    ? {
        produce: `${config.scopePrefix}:produce:`,
        consume: `${config.scopePrefix}:consume:`,
        admin: `${config.scopePrefix}:admin:`,
      }
    : undefined
  const cache = new WeakMap<Identity, Permission>()

  function patternsFor(identity: Identity, action: TopicAction): string[] {
    const patterns = rules.filter((rule) => ruleMatches(rule, identity)).flatMap((rule) => rule[action] ?? [])
    const prefix = scopePrefixes?.[action]
    if (prefix) {
      for (const scope of identity.scopes) {
        // Scopes are the issuer's words: anything that is not a clean pattern grants nothing.
        if (!scope.startsWith(prefix)) continue
        const pattern = scope.slice(prefix.length)
        if (TOPIC_PATTERN.test(pattern) && !pattern.includes('{')) patterns.push(pattern)
      }
    }
    return patterns
  }

  return function permissionOf(identity) {
    const cached = cache.get(identity)
    if (cached) return cached
    const produce = patternsFor(identity, 'produce')
    const consume = patternsFor(identity, 'consume')
    const admin = patternsFor(identity, 'admin')
    const permission: Permission = {
      produce: compileTopicTest(produce, identity),
      consume: compileTopicTest(consume, identity),
      admin: compileTopicTest(admin, identity),
      see: compileTopicTest([...produce, ...consume, ...admin], identity),
      consumeAll: consume.includes('*'),
      adminAll: admin.includes('*'),
    }
    cache.set(identity, permission)
    return permission
  }
}

function ruleMatches(rule: Rule, identity: Identity): boolean {
  return (
    (rule.issuer === undefined || rule.issuer === identity.issuer) &&
    (rule.tenant === undefined || rule.tenant === identity.tenant) &&
    (rule.subject === undefined || rule.subject === identity.subject) &&
    (rule.scope === undefined || identity.scopes.includes(rule.scope))
  )
}
