// Types for the two untyped legacy npm clients the e2e tests drive (only the calls the tests make).

declare module 'message-hub-rest' {
  interface MessageHubError extends Error {
    statusCode?: number
    errorCode?: number
  }
  class ConsumerInstance {
    get(topic: string, toValue?: boolean): Promise<string[]>
    remove(): Promise<unknown>
  }
  /** `services` is a VCAP_SERVICES-style object; the first `messagehub*` entry's credentials are used. */
  class MessageHub {
    constructor(
      services: Record<string, Array<{ label?: string; credentials: { api_key: string; kafka_rest_url: string } }>>,
      opts?: { https?: boolean },
    )
    produce(topic: string, message: unknown): Promise<unknown>
    consume(group: string, instance: string, options?: Record<string, string>): Promise<[ConsumerInstance, unknown]>
  }

  export type { ConsumerInstance, MessageHubError }
  export default MessageHub
}

declare module 'kafka-rest' {
  import type { EventEmitter } from 'node:events'
  import type { Readable } from 'node:stream'

  type Callback<T> = (error: (Error & { status?: number; data?: unknown }) | null, result: T) => void
  interface Message {
    key: Buffer | null
    value: Buffer | null
    partition: number
    offset: number
  }
  interface ConsumerInstance extends EventEmitter {
    readonly id: string
    /** The base_uri the proxy (here: the gateway) answered; only its path is used for later calls. */
    readonly uri: string
    subscribe(topic: string, options?: { requestDelay?: number }): Readable
    commit(callback: Callback<unknown>): void
    shutdown(callback: (error?: Error | null) => void): void
  }
  class KafkaRest {
    constructor(config: { url: string; version?: 1; headers?: Record<string, string>; timeout?: number })
    topic(name: string): { produce(...args: Array<string | Buffer | Callback<unknown>>): void }
    consumer(group: string): { join(opts: Record<string, string> | null, callback: Callback<ConsumerInstance>): void }
  }

  export type { ConsumerInstance, Message }
  export default KafkaRest
}
