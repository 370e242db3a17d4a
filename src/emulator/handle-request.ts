// One request's life: read the body, record it, check the API key, route, run the handler, send the reply.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { finished } from 'node:stream/promises'
import type { ApiKeyCheck } from './auth.js'
import { gzipIfAccepted } from './connection-behaviour.js'
import type { EmulatorState, Reply } from './handler-context.js'
import { readBody } from './read-body.js'
import { errors, RestError } from './rest-error.js'
import type { RouteMatch } from './router.js'

export interface RequestDeps {
  state: EmulatorState
  auth: ApiKeyCheck
  route: (method: string, pathname: string) => RouteMatch
  record: (req: IncomingMessage, body: Buffer) => void
  /** Aborted by close(): ends pending long polls. */
  closing: AbortSignal
  /** Registers an answer in progress, so close() can let it go out before dropping connections. */
  track: (answer: Promise<void>) => Promise<void>
  /** Gzip answers when the request accepts it. */
  compress: boolean
}

export async function handleRequest(req: IncomingMessage, res: ServerResponse, deps: RequestDeps): Promise<void> {
  let body: Buffer
  try {
    body = await readBody(req)
  } catch {
    res.destroy()
    return
  }
  deps.record(req, body)
  await deps.track(respond(req, res, body, deps))
}

/** Answers and waits until the answer is handed to the socket (or the socket is gone). */
async function respond(req: IncomingMessage, res: ServerResponse, body: Buffer, deps: RequestDeps): Promise<void> {
  send(req, res, await replyTo(req, res, body, deps), deps.compress)
  await finished(res).catch(() => undefined)
}

async function replyTo(req: IncomingMessage, res: ServerResponse, body: Buffer, deps: RequestDeps): Promise<Reply> {
  try {
    return await dispatch(req, body, requestSignal(res, deps.closing), deps)
  } catch (err) {
    return errorReply(err)
  }
}

/** Everything from the auth check to the handler's first await runs synchronously after recording. */
function dispatch(req: IncomingMessage, body: Buffer, signal: AbortSignal, deps: RequestDeps): Reply | Promise<Reply> {
  if (!deps.auth.accepts(req.headers['x-auth-token'])) throw errors.unauthorized()
  const [pathname = '/', search = ''] = (req.url ?? '/').split(/\?(.*)/s)
  const match = deps.route(req.method ?? '', pathname)
  if (match.kind === 'not-found') throw errors.notFound()
  if (match.kind === 'method-not-allowed') throw errors.methodNotAllowed()
  const query = new URLSearchParams(search)
  return match.handler({ req, params: match.params, query, body, state: deps.state, signal })
}

/** Aborted when the emulator closes or the response's connection closes. */
function requestSignal(res: ServerResponse, closing: AbortSignal): AbortSignal {
  const controller = new AbortController()
  const abort = () => controller.abort()
  if (closing.aborted) abort()
  closing.addEventListener('abort', abort, { once: true })
  res.once('close', () => {
    closing.removeEventListener('abort', abort)
    abort()
  })
  return controller.signal
}

function errorReply(err: unknown): Reply {
  if (err instanceof RestError) {
    if (err.errorCode === undefined) return { status: err.status }
    return { status: err.status, body: { error_code: err.errorCode, message: err.message } }
  }
  console.error('kafka-rest emulator: unexpected error', err)
  return { status: 500, body: { error_code: 500, message: 'Internal Server Error' } }
}

function send(req: IncomingMessage, res: ServerResponse, reply: Reply, compress: boolean): void {
  if (res.destroyed || res.writableEnded) return
  if (reply.body === undefined) {
    res.writeHead(reply.status, reply.status === 204 ? {} : { 'content-length': 0 }).end()
    return
  }
  const payload = JSON.stringify(reply.body)
  const { body, encoding } = compress ? gzipIfAccepted(req, payload) : { body: payload, encoding: undefined }
  res.writeHead(reply.status, {
    'content-type': reply.contentType ?? 'application/json',
    'content-length': Buffer.byteLength(body),
    ...(encoding ? { 'content-encoding': encoding, vary: 'Accept-Encoding' } : {}),
  })
  res.end(body)
}
