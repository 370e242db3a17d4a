// The GATEWAY_* environment variables: which config key each one sets, and how its text becomes a value.

type Coerce = 'string' | 'int' | 'bool' | 'list'

export interface EnvBinding {
  env: string
  /** Where the value lands in the config tree. */
  path: readonly (string | number)[]
  coerce: Coerce
}

/** Data, not code: adding a variable is one row. */
export const envBindings: readonly EnvBinding[] = [
  { env: 'GATEWAY_HOST', path: ['server', 'host'], coerce: 'string' },
  { env: 'GATEWAY_PORT', path: ['server', 'port'], coerce: 'int' },
  { env: 'GATEWAY_PUBLIC_URL', path: ['server', 'publicUrl'], coerce: 'string' },
  { env: 'GATEWAY_ADMIN_PORT', path: ['server', 'adminPort'], coerce: 'int' },
  { env: 'GATEWAY_WORKERS', path: ['server', 'workers'], coerce: 'int' },
  { env: 'GATEWAY_HEADERS_TIMEOUT_MS', path: ['server', 'headersTimeoutMs'], coerce: 'int' },
  { env: 'GATEWAY_REQUEST_TIMEOUT_MS', path: ['server', 'requestTimeoutMs'], coerce: 'int' },
  { env: 'GATEWAY_KEEP_ALIVE_TIMEOUT_MS', path: ['server', 'keepAliveTimeoutMs'], coerce: 'int' },
  { env: 'GATEWAY_SHUTDOWN_GRACE_MS', path: ['server', 'shutdownGraceMs'], coerce: 'int' },
  { env: 'GATEWAY_MAX_HEADER_BYTES', path: ['server', 'maxHeaderBytes'], coerce: 'int' },
  { env: 'GATEWAY_MAX_HEADERS', path: ['server', 'maxHeaders'], coerce: 'int' },
  { env: 'GATEWAY_TLS_CERT_FILE', path: ['server', 'tls', 'certFile'], coerce: 'string' },
  { env: 'GATEWAY_TLS_KEY_FILE', path: ['server', 'tls', 'keyFile'], coerce: 'string' },
  { env: 'GATEWAY_TLS_MIN_VERSION', path: ['server', 'tls', 'minVersion'], coerce: 'string' },
  { env: 'GATEWAY_UPSTREAM_URL', path: ['upstream', 'url'], coerce: 'string' },
  { env: 'GATEWAY_UPSTREAM_API_KEY', path: ['upstream', 'keys', 'default', 'value'], coerce: 'string' },
  { env: 'GATEWAY_UPSTREAM_API_KEY_FILE', path: ['upstream', 'keys', 'default', 'file'], coerce: 'string' },
  { env: 'GATEWAY_UPSTREAM_KEY_RELOAD_INTERVAL_MS', path: ['upstream', 'keyReloadIntervalMs'], coerce: 'int' },
  { env: 'GATEWAY_UPSTREAM_TIMEOUT_MS', path: ['upstream', 'timeoutMs'], coerce: 'int' },
  { env: 'GATEWAY_UPSTREAM_CONNECT_TIMEOUT_MS', path: ['upstream', 'connectTimeoutMs'], coerce: 'int' },
  { env: 'GATEWAY_UPSTREAM_KEEP_ALIVE_TIMEOUT_MS', path: ['upstream', 'keepAliveTimeoutMs'], coerce: 'int' },
  { env: 'GATEWAY_UPSTREAM_HEALTH_CHECK_INTERVAL_MS', path: ['upstream', 'healthCheckIntervalMs'], coerce: 'int' },
  { env: 'GATEWAY_UPSTREAM_CA_FILE', path: ['upstream', 'tls', 'caFile'], coerce: 'string' },
  { env: 'GATEWAY_UPSTREAM_CERT_FILE', path: ['upstream', 'tls', 'certFile'], coerce: 'string' },
  { env: 'GATEWAY_UPSTREAM_KEY_FILE', path: ['upstream', 'tls', 'keyFile'], coerce: 'string' },
  { env: 'GATEWAY_UPSTREAM_TLS_MIN_VERSION', path: ['upstream', 'tls', 'minVersion'], coerce: 'string' },
  { env: 'GATEWAY_JWKS_URL', path: ['auth', 'issuers', 0, 'jwksUrl'], coerce: 'string' },
  { env: 'GATEWAY_JWT_ISSUER', path: ['auth', 'issuers', 0, 'issuer'], coerce: 'string' },
  { env: 'GATEWAY_JWT_AUDIENCE', path: ['auth', 'issuers', 0, 'audience'], coerce: 'list' },
  { env: 'GATEWAY_AUTHZ_ENABLED', path: ['authz', 'enabled'], coerce: 'bool' },
  { env: 'GATEWAY_AUTHZ_FILTER_TOPIC_LIST', path: ['authz', 'filterTopicList'], coerce: 'bool' },
  { env: 'GATEWAY_AUTHZ_HIDE_TOPICS', path: ['authz', 'hideTopics'], coerce: 'bool' },
  { env: 'GATEWAY_AUTHZ_CONSUMER_OWNERSHIP', path: ['authz', 'consumers', 'ownership'], coerce: 'bool' },
  { env: 'GATEWAY_AUTHZ_GROUP_PREFIX', path: ['authz', 'consumers', 'groupPrefix'], coerce: 'string' },
  {
    env: 'GATEWAY_AUTHZ_CONSUMER_TIMEOUT_SECONDS',
    path: ['authz', 'consumers', 'instanceTimeoutSeconds'],
    coerce: 'int',
  },
  {
    env: 'GATEWAY_AUTHZ_MAX_CONSUMERS_PER_CALLER',
    path: ['authz', 'consumers', 'maxInstancesPerCaller'],
    coerce: 'int',
  },
  { env: 'GATEWAY_AUDIT_OUTPUT', path: ['audit', 'output'], coerce: 'string' },
  { env: 'GATEWAY_AUDIT_FILE', path: ['audit', 'file'], coerce: 'string' },
  { env: 'GATEWAY_POLICY_STRICT', path: ['policy', 'strict'], coerce: 'bool' },
  { env: 'GATEWAY_POLICY_DENY', path: ['policy', 'deny'], coerce: 'list' },
  { env: 'GATEWAY_POLICY_MAX_JSON_BODY', path: ['policy', 'maxJsonBody'], coerce: 'int' },
  { env: 'GATEWAY_POLICY_MAX_V3_BODY', path: ['policy', 'maxV3Body'], coerce: 'int' },
  { env: 'GATEWAY_CORS_ORIGINS', path: ['cors', 'origins'], coerce: 'list' },
  { env: 'GATEWAY_CORS_CREDENTIALS', path: ['cors', 'credentials'], coerce: 'bool' },
  { env: 'GATEWAY_AUTH_REALM', path: ['auth', 'realm'], coerce: 'string' },
  { env: 'GATEWAY_AUTH_X_AUTH_TOKEN', path: ['auth', 'xAuthToken'], coerce: 'bool' },
  { env: 'GATEWAY_AUTH_QUERY_TOKEN', path: ['auth', 'queryToken'], coerce: 'bool' },
  { env: 'GATEWAY_AUTH_MAX_TOKEN_BYTES', path: ['auth', 'maxTokenBytes'], coerce: 'int' },
  { env: 'GATEWAY_AUTH_TOKEN_CACHE_SIZE', path: ['auth', 'tokenCacheSize'], coerce: 'int' },
  { env: 'GATEWAY_RATE_LIMIT_REQUESTS', path: ['rateLimit', 'requests'], coerce: 'int' },
  { env: 'GATEWAY_RATE_LIMIT_WINDOW_SECONDS', path: ['rateLimit', 'windowSeconds'], coerce: 'int' },
  { env: 'GATEWAY_RATE_LIMIT_ON_STORE_ERROR', path: ['rateLimit', 'onStoreError'], coerce: 'string' },
  { env: 'GATEWAY_REDIS_URL', path: ['rateLimit', 'redis', 'url'], coerce: 'string' },
  { env: 'GATEWAY_TRUST_PROXY', path: ['rateLimit', 'trustProxy'], coerce: 'int' },
  { env: 'GATEWAY_LOG_LEVEL', path: ['log', 'level'], coerce: 'string' },
  { env: 'GATEWAY_LOG_PROBES', path: ['log', 'probes'], coerce: 'bool' },
  { env: 'GATEWAY_METRICS_ON_MAIN_PORT', path: ['metrics', 'onMainPort'], coerce: 'bool' },
]

/** For a missing section: the variables that fill it without a config file. */
const sectionHints: Readonly<Record<string, string>> = {
  upstream: 'GATEWAY_UPSTREAM_URL and GATEWAY_UPSTREAM_API_KEY (or GATEWAY_UPSTREAM_API_KEY_FILE)',
  'upstream.keys': 'GATEWAY_UPSTREAM_API_KEY (or GATEWAY_UPSTREAM_API_KEY_FILE)',
  auth: 'GATEWAY_JWT_ISSUER and GATEWAY_JWT_AUDIENCE (and GATEWAY_JWKS_URL unless the issuer serves OIDC discovery)',
}

export function sectionEnvHint(path: readonly PropertyKey[]): string | undefined {
  return sectionHints[path.join('.')]
}

/** The least a start needs when there is no config file. */
export const MINIMAL_ENV_HINT = `${sectionHints.upstream}, ${sectionHints.auth}`

/** Converts env text; text that does not convert is returned as is so the schema reports it against the key. */
export function coerceEnvValue(text: string, coerce: Coerce): unknown {
  switch (coerce) {
    case 'int':
      return /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : text
    case 'bool':
      return /^(true|1|yes)$/i.test(text) ? true : /^(false|0|no)$/i.test(text) ? false : text
    case 'list': {
      const items = text
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
      return items.length === 1 ? items[0] : items
    }
    default:
      return text
  }
}

/** The env variable that sets a config path, for error messages. */
export function envNameFor(path: readonly PropertyKey[]): string | undefined {
  const key = path.join('.')
  return envBindings.find((binding) => key === binding.path.join('.') || key.startsWith(`${binding.path.join('.')}.`))
    ?.env
}
