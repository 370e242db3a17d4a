// RouteMatch: what the route table says a request is (its class, its access rule and the Kafka names in its path).
import type { Access, RouteKind, RouteName } from './routes.js'

export type { RouteKind, RouteName } from './routes.js'

/** `unmatched`: the request is outside the route table. */
export type MatchName = RouteName | 'unmatched'

export interface RouteMatch {
  kind: RouteKind
  /** Route table entry name, e.g. `produce-topic`, for logs, metrics and every branch on a route. */
  name: MatchName
  /** What authorization checks; `undefined` outside the route table. */
  access?: Access
  topic?: string
  partition?: number
  group?: string
  instance?: string
}
