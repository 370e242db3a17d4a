// The package's public API: build the gateway from a config, mount its handler where you like.
export type { Identity } from './auth/identity.js'
export { ConfigError, loadConfig } from './config/load.js'
export type { Config, ConfigInput } from './config/schema.js'
export { configSchema } from './config/schema.js'
export { GatewayError } from './errors/gateway-error.js'
export { createGateway, type Gateway, type GatewayDeps } from './gateway.js'
export { listen, type RunningServer } from './process/listen.js'
