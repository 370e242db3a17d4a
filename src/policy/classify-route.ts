// The classifyRoute stage: puts the route table's verdict on the context for every later stage and the logs.
import type { Stage } from '../request-context.js'
import { createClassifier } from './classify.js'

export function classifyRoute(): Stage {
  const classify = createClassifier()
  return function classifyRouteStage(req, _res, ctx) {
    const url = req.url ?? '/'
    const query = url.indexOf('?')
    ctx.route = classify(req.method ?? 'GET', query === -1 ? url : url.slice(0, query))
  }
}
