// The shape of one format check, in its own file so the checks and the factory that picks them import it without a circle.
import type { IncomingMessage } from 'node:http'
import type { RequestContext } from '../request-context.js'

/** Throws GatewayError to refuse; a check that reads the body stores its bytes in `ctx.body`. */
export type FormatCheck = (req: IncomingMessage, ctx: RequestContext) => void | Promise<void>
