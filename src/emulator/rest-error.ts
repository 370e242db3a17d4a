// The REST proxy's error answers as a throwable RestError with {"error_code","message"} bodies.

export class RestError extends Error {
  /** `errorCode` undefined means Jersey's body-less answer (only the 406 of an unmatched Accept). */
  constructor(
    readonly status: number,
    readonly errorCode: number | undefined,
    message: string,
  ) {
    super(message)
    this.name = 'RestError'
  }
}

const error = (status: number, errorCode: number, message: string) => new RestError(status, errorCode, message)

export const errors = {
  badRequest: (message: string) => error(400, 400, message),
  badJson: (detail: string) => error(400, 400, `Unexpected JSON: ${detail}`),
  unauthorized: () => error(401, 40101, 'Unauthorized'),
  notFound: () => error(404, 404, 'HTTP 404 Not Found'),
  topicNotFound: () => error(404, 40401, 'Topic not found.'),
  partitionNotFound: () => error(404, 40402, 'Partition not found.'),
  instanceNotFound: () => error(404, 40403, 'Consumer instance not found.'),
  methodNotAllowed: () => error(405, 405, 'HTTP 405 Method Not Allowed'),
  notAcceptable: () => new RestError(406, undefined, 'Not Acceptable'),
  formatMismatch: () =>
    error(406, 40601, 'The requested embedded data format does not match the deserializer for this consumer instance'),
  alreadySubscribed: () =>
    error(
      409,
      40901,
      'Consumer cannot subscribe the the specified target because it has already subscribed to other topics.',
    ),
  instanceExists: () =>
    error(409, 40902, 'Consumer with specified consumer ID already exists in the specified consumer group.'),
  illegalState: (detail: string) => error(409, 40903, `Illegal state: ${detail}`),
  unsupportedMedia: () => error(415, 415, 'HTTP 415 Unsupported Media Type'),
  unprocessable: (message: string) => error(422, 422, message),
  keySchemaMissing: () => error(422, 42201, 'Request includes keys but does not include key_schema or key_schema_id'),
  valueSchemaMissing: () =>
    error(422, 42202, 'Request includes values but does not include value_schema or value_schema_id'),
  invalidConsumerConfig: (detail: string) => error(422, 42204, `Invalid consumer configuration: ${detail}`),
  kafkaError: (detail: string) => error(500, 50002, `Kafka error: ${detail}`),
}
