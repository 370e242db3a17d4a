// Every refusal the gateway can answer: the only place where an HTTP status or a Kafka-style error_code is written.

/**
 * Gateway error codes use the Kafka REST shape (HTTP status followed by two digits). Where the upstream uses the same
 * status, the gateway's own codes sit in the x9x range, so a client can always tell a gateway refusal from an upstream one
 * (the `X-Gateway-Error` header and the body's `error` field say so too) — except the `disguised` entries.
 */
export const catalogue = {
  BAD_REQUEST: { status: 400, errorCode: 40090, message: 'The request is malformed' },
  TOKEN_CONFLICT: { status: 400, errorCode: 40091, message: 'Authorization and X-Auth-Token carry different tokens' },
  TOKEN_MISSING: { status: 401, errorCode: 40190, message: 'A bearer token is required' },
  TOKEN_INVALID: { status: 401, errorCode: 40191, message: 'The token is not valid' },
  TOKEN_IN_URL: {
    status: 401,
    errorCode: 40192,
    message: 'Tokens in the URL are not accepted: send Authorization: Bearer',
  },
  FORBIDDEN: { status: 403, errorCode: 40390, message: 'Not allowed for this topic or consumer' },
  ROUTE_DENIED: { status: 403, errorCode: 40391, message: 'This route is not available through the gateway' },
  ORIGIN_NOT_ALLOWED: { status: 403, errorCode: 40392, message: 'This origin is not allowed to call the gateway' },
  ROUTE_UNKNOWN: {
    status: 403,
    errorCode: 40393,
    message: 'This route is not in the gateway route table, so its topics cannot be checked',
  },
  NOT_FOUND: { status: 404, errorCode: 40490, message: 'Not found' },
  // Disguised: the REST proxy's own answers, word for word, sent without the gateway's marker, because a marker
  // would reveal that the hidden topic or the other caller's consumer instance exists.
  TOPIC_HIDDEN: { status: 404, errorCode: 40401, message: 'Topic not found.', disguised: true },
  INSTANCE_NOT_OWNED: { status: 404, errorCode: 40403, message: 'Consumer instance not found.', disguised: true },
  METHOD_NOT_ALLOWED: { status: 405, errorCode: 40590, message: 'This HTTP method is not supported' },
  FORMAT_NOT_ACCEPTED: { status: 406, errorCode: 40690, message: 'Only binary responses can be requested' },
  CONSUMER_INSTANCE_TAKEN: {
    status: 409,
    errorCode: 40990,
    message: 'A consumer instance with this name already belongs to another caller in this group: choose another name',
  },
  REQUEST_TIMEOUT: { status: 408, errorCode: 40890, message: 'The request was not received in time' },
  PAYLOAD_TOO_LARGE: { status: 413, errorCode: 41390, message: 'The request body is too large' },
  FORMAT_NOT_ALLOWED: { status: 415, errorCode: 41501, message: 'Only the binary embedded format is allowed' },
  RATE_LIMITED: { status: 429, errorCode: 42901, message: 'Too many requests' },
  TOO_MANY_CONSUMERS: {
    status: 429,
    errorCode: 42990,
    message: 'This caller has the most live consumer instances allowed: delete one (or let it time out) first',
  },
  HEADERS_TOO_LARGE: { status: 431, errorCode: 43190, message: 'The request headers are too large or too many' },
  INTERNAL: { status: 500, errorCode: 50090, message: 'Internal gateway error' },
  UPSTREAM_UNAVAILABLE: { status: 502, errorCode: 50201, message: 'The Kafka REST proxy is unavailable' },
  NOT_READY: { status: 503, errorCode: 50390, message: 'The gateway is not ready' },
  KEYS_UNAVAILABLE: {
    status: 503,
    errorCode: 50391,
    message: 'The signing keys of this issuer could not be loaded yet',
  },
  OWNERSHIP_UNAVAILABLE: {
    status: 503,
    errorCode: 50392,
    message: 'Consumer ownership cannot be checked right now; retry shortly',
  },
  LIMITS_UNAVAILABLE: {
    status: 503,
    errorCode: 50393,
    message: 'Rate limits cannot be checked right now; retry shortly',
  },
  SHUTTING_DOWN: { status: 503, errorCode: 50394, message: 'The gateway is shutting down' },
  UPSTREAM_TIMEOUT: { status: 504, errorCode: 50401, message: 'The Kafka REST proxy did not answer in time' },
} as const satisfies Record<string, { status: number; errorCode: number; message: string; disguised?: true }>

export type ErrorCode = keyof typeof catalogue
