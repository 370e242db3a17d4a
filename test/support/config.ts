// Config-test helpers: the smallest valid GATEWAY_* environment and the problem lines a bad config is refused with.
import { ConfigError, loadConfig } from '../../src/config/load.js'

/** The fewest GATEWAY_* variables that make a valid config: one upstream, one issuer. */
export const minimalEnv = {
  GATEWAY_UPSTREAM_URL: 'http://upstream:8082',
  GATEWAY_UPSTREAM_API_KEY: 'k',
  GATEWAY_JWKS_URL: 'https://idp.example/jwks',
  GATEWAY_JWT_ISSUER: 'https://idp.example/',
  GATEWAY_JWT_AUDIENCE: 'kafka',
}

/** The problem lines of the ConfigError `load` throws; fails the test when it throws nothing or something else. */
export function configProblems(load: () => unknown): readonly string[] {
  try {
    load()
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  throw new Error('expected a ConfigError')
}

/** The problem lines for the minimal environment with `env` laid over it. */
export function envProblems(env: Record<string, string | undefined>): readonly string[] {
  return configProblems(() => loadConfig({ env: { ...minimalEnv, ...env } }))
}
