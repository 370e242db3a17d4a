// The --help text: the options, every GATEWAY_* variable with the key it sets, signals, exit codes, where to read more.
import { envBindings } from '../config/env.js'

export function helpText(version: string): string {
  const width = Math.max(...envBindings.map((binding) => binding.env.length)) + 2
  const variables = envBindings
    .map((binding) => `  ${binding.env.padEnd(width)}${binding.path.map((key) => String(key)).join('.')}`)
    .join('\n')
  return `kafka-rest-gateway ${version}: an authenticating gateway in front of a Kafka REST Proxy

Usage: kafka-rest-gateway [--config FILE] [--check]

Options:
  -c, --config FILE  YAML config file (or GATEWAY_CONFIG=FILE); GATEWAY_* variables override its keys
      --check        validate the configuration and everything it points to (key files, secrets, TLS
                     certificates and keys), print every problem at once, exit 0 when valid or 2; serves nothing
  -h, --help         print this help and exit
  -v, --version      print the version and exit

Without a file, the environment alone configures the gateway; the least it needs:
  GATEWAY_UPSTREAM_URL, GATEWAY_UPSTREAM_API_KEY (or GATEWAY_UPSTREAM_API_KEY_FILE),
  GATEWAY_JWT_ISSUER, GATEWAY_JWT_AUDIENCE, and GATEWAY_JWKS_URL unless the issuer serves OIDC discovery.

Environment variables (each sets the config key beside it):
  ${'GATEWAY_CONFIG'.padEnd(width)}the config file (same as --config)
${variables}

Signals: SIGTERM or SIGINT drains in-flight requests and exits 0; SIGHUP re-reads the upstream keys.
Exit codes: 0 stopped cleanly (or --check passed), 2 configuration or usage error, 1 any other failure.

Reference: docs/configuration.md (every key, default and variable), docs/operations.md (health, metrics, logs).
`
}
