// Produce quotas around one request: what the body costs up front, and the meter that counts what was not known.
import type { IncomingMessage } from 'node:http'
import { GatewayError } from '../errors/gateway-error.js'
import type { RequestContext } from '../request-context.js'
import type { BucketSpec, Decision } from '../state/bucket-store.js'
import { BodyMeter } from './body-meter.js'
import type { ClassPlan } from './limit-plans.js'
import type { LimitStats } from './limit-stats.js'
import { retryAfterSeconds } from './rate-limit-headers.js'
import { RecordCounter } from './record-counter.js'

export interface ProduceCosts {
  /** Units taken up front, one per bucket of the plan. */
  costs: number[]
  /** True when bytes or records will be counted on the stream and charged afterwards (one of each is reserved). */
  metered: boolean
  meteredBytes: boolean
  meteredRecords: boolean
}

/**
 * Known sizes are charged up front: a Content-Length (or a body a stage already read), and the records a stage counted
 * (the policy, for v3) or that can be counted in a body already read. Unknown ones reserve one unit, so an exhausted
 * quota refuses the request before anything is sent, and are metered as the body streams. A body that can never fit
 * (more than a whole quota) is refused with 413 before anything is sent.
 */
export function produceCosts(
  req: IncomingMessage,
  ctx: RequestContext,
  plan: ClassPlan,
  stats: LimitStats,
): ProduceCosts {
  const length = ctx.body?.length ?? contentLengthOf(req)
  if (length !== undefined && length > (plan.maxBodyBytes as number)) throw tooLarge(stats)
  const costs = [1]
  const meteredBytes = length === undefined
  let meteredRecords = false
  if (plan.bytesIndex !== -1) {
    if (length !== undefined && length > (plan.specs[plan.bytesIndex] as BucketSpec).limit) {
      throw tooLarge(stats, 'The request body is larger than the whole byte quota')
    }
    costs.push(length ?? 1)
  }
  if (plan.recordsIndex !== -1) {
    const known = ctx.records ?? (ctx.body ? new RecordCounter().feed(ctx.body) : undefined)
    if (known !== undefined && known > (plan.specs[plan.recordsIndex] as BucketSpec).limit) {
      throw tooLarge(stats, 'The request has more records than the whole record quota')
    }
    meteredRecords = known === undefined
    costs.push(known ?? 1)
  }
  return { costs, metered: meteredBytes || meteredRecords, meteredBytes, meteredRecords }
}

/**
 * A meter for what `produceCosts` could not know, limited to what the decision left (plus the reserved unit); it
 * calls `charge` once with the costs to add per bucket (what was counted beyond the reserved units). Without a decision
 * (the store failed and the limiter fails open) only the body size cap holds.
 */
export function createMeter(
  plan: ClassPlan,
  produce: ProduceCosts,
  decision: Decision | undefined,
  stats: LimitStats,
  charge: (costs: number[]) => void,
): BodyMeter {
  const left = (index: number) => (decision ? (decision.buckets[index]?.remaining ?? 0) + 1 : Number.POSITIVE_INFINITY)
  const maxBodyBytes = plan.maxBodyBytes as number
  const quotaBytes = produce.meteredBytes && plan.bytesIndex !== -1 ? left(plan.bytesIndex) : Number.POSITIVE_INFINITY
  const over = (index: number) => {
    stats.limited++
    return new GatewayError('RATE_LIMITED', {
      message: 'Produce quota used up during this upload',
      headers: {
        'Retry-After': String(retryAfterSeconds(decision?.buckets[index]?.resetMs ?? 1000)),
        Connection: 'close',
      },
    })
  }
  return new BodyMeter({
    maxBytes: produce.meteredBytes ? Math.min(maxBodyBytes, quotaBytes) : Number.POSITIVE_INFINITY,
    maxRecords: produce.meteredRecords ? left(plan.recordsIndex) : Number.POSITIVE_INFINITY,
    refusal: (exceeded) =>
      exceeded === 'records'
        ? over(plan.recordsIndex)
        : quotaBytes < maxBodyBytes
          ? over(plan.bytesIndex)
          : tooLarge(stats),
    settle(bytes, records) {
      const costs = plan.specs.map(() => 0)
      if (produce.meteredBytes && plan.bytesIndex !== -1) costs[plan.bytesIndex] = Math.max(0, bytes - 1)
      if (produce.meteredRecords) costs[plan.recordsIndex] = Math.max(0, records - 1)
      if (costs.some((cost) => cost > 0)) charge(costs)
    },
  })
}

/** Node refuses a request carrying both Content-Length and Transfer-Encoding, so one of them decides the length. */
function contentLengthOf(req: IncomingMessage): number | undefined {
  const header = req.headers['content-length']
  if (header !== undefined) return Number(header)
  return req.headers['transfer-encoding'] === undefined ? 0 : undefined
}

function tooLarge(stats: LimitStats, message?: string): GatewayError {
  stats.tooLarge++
  // The rest of the upload is not read: closing the connection is cheaper than draining it.
  return new GatewayError('PAYLOAD_TOO_LARGE', { message, headers: { Connection: 'close' } })
}
