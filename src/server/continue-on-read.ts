// `Expect: 100-continue`: the interim 100 goes out when the gateway first reads the body, never before.
import type { IncomingMessage, ServerResponse } from 'node:http'

type Reading = IncomingMessage & { _read(size: number): void }

/**
 * For the server's `checkContinue` event. The body is read only once authentication, the route policy and the rate
 * limit let the request through (by the policy when it must read a small body, else by the proxy as it forwards), so
 * sending the 100 at the first read tells a client to upload only what will be used. A refused request gets its final
 * answer without a 100, and Node closes the connection after it (the client may still be sending the body).
 */
export function continueOnFirstRead(req: IncomingMessage, res: ServerResponse): void {
  const reading = req as Reading
  const read = reading._read
  reading._read = function readAfterContinue(size) {
    reading._read = read
    // Node dumps an unread body after the answer: no 100 once a final answer began.
    if (!res.headersSent && !res.writableEnded) res.writeContinue()
    read.call(this, size)
  }
}
