// RouteMatch: what the route table says a request is (its class and the Kafka names in its path).

export type RouteKind = 'produce' | 'consume' | 'consumer-lifecycle' | 'metadata' | 'other'

export interface RouteMatch {
  kind: RouteKind
  /** Route table entry name, e.g. `produce-topic`, for logs and metrics; `unmatched` outside the table. */
  name: string
  topic?: string
  partition?: number
  group?: string
  instance?: string
}
