// The local token issuer on its own, for the compose quick start: the gateway finds its keys by OIDC discovery and
// anyone who can reach it gets a token (`GET /token?format=text`). Development only: production never runs it.
import { DEMO_KINDS, startLocalIssuer } from './local-issuer.js'

const issuer = await startLocalIssuer({
  demoTokens: true,
  port: Number(process.env.ISSUER_PORT ?? 8090),
  host: process.env.ISSUER_HOST ?? '127.0.0.1',
  publicUrl: process.env.ISSUER_URL,
  audience: process.env.ISSUER_AUDIENCE,
})
process.stdout.write(
  `local token issuer ${issuer.issuer} (for local use only: it gives a token to anyone who asks)\n` +
    `  discovery  ${issuer.url}/.well-known/openid-configuration\n` +
    `  a token    curl -s "http://localhost:${issuer.port}/token?format=text"  (kind=${Object.keys(DEMO_KINDS).join('|')}, sub=…)\n`,
)
const stop = () => void issuer.close().then(() => process.exit(0))
process.once('SIGTERM', stop)
process.once('SIGINT', stop)
