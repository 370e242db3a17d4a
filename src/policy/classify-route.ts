// The classifyRoute stage: refuses ambiguous paths, then puts the route table's verdict on the context for later stages.
import type { Stage } from '../request-context.js'
import { createClassifier } from './classify.js'
import { parseRequestPath } from './request-path.js'

export function classifyRoute(): Stage {
  const classify = createClassifier()
  return function classifyRouteStage(req, _res, ctx) {
    ctx.path = parseRequestPath(req.url ?? '/')
    ctx.route = classify(req.method ?? 'GET', ctx.path)
  }
}
