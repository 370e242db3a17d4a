// What a failed upstream request means for the client: the catalogue code and a short reason naming the failure class.
import { GatewayError } from '../errors/gateway-error.js'
import { CONNECT_TIMEOUT, describeUpstreamFailure, RESPONSE_TIMEOUT } from '../errors/upstream-failure-reason.js'

export function upstreamFailure(error: unknown): GatewayError {
  const reason = describeUpstreamFailure(error)
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code === RESPONSE_TIMEOUT || code === CONNECT_TIMEOUT) {
    return new GatewayError('UPSTREAM_TIMEOUT', {
      message: `The Kafka REST proxy did not answer in time: ${reason}`,
      cause: error,
      reason,
    })
  }
  return new GatewayError('UPSTREAM_UNAVAILABLE', {
    message: `The Kafka REST proxy is unavailable: ${reason}`,
    cause: error,
    reason,
  })
}
