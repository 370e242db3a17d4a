// The server section: listener address, client timeouts and limits, workers, HTTPS.
import { z } from 'zod'
import { httpUrl, millis, tlsVersion } from './schema-parts.js'

const port = z.number().int().min(0).max(65535)

/** The HTTPS listener: PEM files, re-read when they change (certificate renewal without a restart). */
const serverTlsSchema = z
  .object({
    certFile: z.string().min(1),
    keyFile: z.string().min(1),
    minVersion: tlsVersion,
    /** How often the files are checked for changes. */
    reloadIntervalMs: millis.default(10_000),
  })
  .strict()

/** The listener settings; `listen()` accepts a partial one and fills the defaults. */
export const serverSchema = z
  .object({
    host: z.string().default('0.0.0.0'),
    port: z.number().int().min(0).max(65535).default(8080),
    /** The URL clients use to reach the gateway; rewrites `base_uri`. Absent: the request's own origin. */
    publicUrl: httpUrl.optional(),
    /** A second listener for /metrics, /healthz and /readyz only (same host). */
    adminPort: port.optional(),
    /** Worker processes (node:cluster) for a central deployment; more than 1 needs the Redis store. */
    workers: z.number().int().min(1).max(256).default(1),
    /** Client timeouts: all request headers (slowloris), the whole request, idle keep-alive connections. */
    headersTimeoutMs: millis.default(10_000),
    requestTimeoutMs: millis.default(60_000),
    keepAliveTimeoutMs: millis.default(5_000),
    /** On SIGTERM/SIGINT, how long in-flight requests may take before they are answered 503 and cut. */
    shutdownGraceMs: z.number().int().min(0).default(25_000),
    /** Request header limits; above them the answer is 431. */
    maxHeaderBytes: z.number().int().min(1024).max(1_048_576).default(16_384),
    maxHeaders: z.number().int().min(10).max(2000).default(100),
    tls: serverTlsSchema.optional(),
  })
  .strict()
  .refine((server) => server.headersTimeoutMs <= server.requestTimeoutMs, {
    message: 'headersTimeoutMs must not exceed requestTimeoutMs',
    path: ['headersTimeoutMs'],
  })
  .refine((server) => server.adminPort === undefined || server.adminPort !== server.port || server.port === 0, {
    message: 'must differ from server.port',
    path: ['adminPort'],
  })
export type ServerConfig = z.infer<typeof serverSchema>
