// Which consumer groups are a tenant's (`<tenant>.…`), and which ones a caller may inspect through the v3 group API.
import type { Identity } from '../auth/identity.js'
import type { Config } from '../config/schema.js'
import type { Permission } from './permissions.js'

export type GroupTest = (group: string) => boolean

/**
 * A caller's own groups are those its tenant owns (`consumers.groupPrefix: tenant`: groups named `<tenant>.…`, the rule
 * the v1/v2 consumer API enforces too). Without tenant prefixes nothing says whose a group is, so only an admin of every
 * topic may look at groups, whose answers name members, hosts and the topics they read.
 */
export function groupTest(
  groupPrefix: Config['authz']['consumers']['groupPrefix'],
  identity: Identity,
  permission: Permission,
): GroupTest {
  if (permission.adminAll) return () => true
  if (groupPrefix !== 'tenant') return () => false
  return (group) => isTenantGroup(group, identity.tenant)
}

/** True for `<tenant>.<name>`, the groups a tenant owns with `consumers.groupPrefix: tenant`; no tenant owns none. */
export function isTenantGroup(group: string, tenant: string | undefined): boolean {
  if (tenant === undefined || tenant === '') return false
  const prefix = `${tenant}.`
  return group.length > prefix.length && group.startsWith(prefix)
}
