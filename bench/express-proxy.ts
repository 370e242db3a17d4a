// The contender a user would write in an afternoon: Express 5 + http-proxy-middleware + jose, with a cache of verified
// tokens. Same job as the gateway's warm path (verify the JWT, swap it for the upstream key, stream both ways), none of
// its policy, limits, logs or metrics. Run as its own process:
// `node bench/.build/bench/express-proxy.js PORT UPSTREAM_URL API_KEY ISSUER AUDIENCE JWKS_URL`.
import http from 'node:http'
import express from 'express'
import { createProxyMiddleware } from 'http-proxy-middleware'
import { createRemoteJWKSet, jwtVerify } from 'jose'

const [port, upstream, apiKey, issuer, audience, jwksUrl] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
]
const jwks = createRemoteJWKSet(new URL(jwksUrl))
/** token → expiry (ms); cleared when it grows past 10,000 entries. */
const verified = new Map<string, number>()

async function authenticate(req: express.Request, res: express.Response, next: express.NextFunction) {
  const token = req.headers.authorization?.replace(/^Bearer /i, '')
  if (!token) return void res.status(401).json({ error_code: 40101, message: 'Unauthorized' })
  const expiry = verified.get(token)
  if (expiry === undefined || expiry <= Date.now()) {
    try {
      const { payload } = await jwtVerify(token, jwks, { issuer, audience })
      if (verified.size >= 10_000) verified.clear()
      verified.set(token, (payload.exp ?? 0) * 1000)
    } catch {
      return void res.status(401).json({ error_code: 40101, message: 'Unauthorized' })
    }
  }
  delete req.headers.authorization
  req.headers['x-auth-token'] = apiKey
  next()
}

const app = express()
app.disable('x-powered-by')
app.use(authenticate)
// A keep-alive agent: without one, http-proxy opens a new upstream connection per request.
const agent = new http.Agent({ keepAlive: true })
app.use(createProxyMiddleware({ target: upstream, changeOrigin: true, agent }))
app.listen(Number(port), '127.0.0.1')
process.once('SIGTERM', () => process.exit(0))
