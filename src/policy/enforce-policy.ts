// The enforcePolicy stage: route filter (deny list, strict mode), then the route's format check, before anything upstream.
import type { Config } from '../config/schema.js'
import type { Stage } from '../request-context.js'
import type { FormatCheck } from './format-check.js'
import { createFormatCheck } from './format-checks.js'
import { checkRouteNames } from './kafka-names.js'
import { createRouteFilter } from './route-filter.js'
import type { MatchName } from './route-match.js'
import { routes } from './routes.js'

/** Runs after classifyRoute (which put `ctx.route` and `ctx.path` there) and after authentication. */
export function enforcePolicy(config: Config['policy']): Stage {
  const filterRoute = createRouteFilter(config)
  const checks = new Map<MatchName, FormatCheck>()
  for (const route of routes) {
    const check = createFormatCheck(route.format, config)
    if (check) checks.set(route.name, check)
  }
  return function enforcePolicyStage(req, _res, ctx) {
    const route = ctx.route
    if (!route || !ctx.path) throw new Error('enforcePolicy runs after classifyRoute')
    filterRoute(req.method ?? 'GET', ctx.path, route)
    // Names are checked before any stage matches them against permissions or uses them as keys.
    checkRouteNames(route)
    // Only the routes that carry embedded data have a check; the rest pass untouched (and unparsed).
    return checks.get(route.name)?.(req, ctx)
  }
}
