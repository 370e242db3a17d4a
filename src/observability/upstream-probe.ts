// Readiness of the REST proxy, checked in the background: can a connection be opened (and its TLS handshake completed)?
import net from 'node:net'
import tls from 'node:tls'
import { describeUpstreamFailure } from '../errors/upstream-failure-reason.js'

export interface UpstreamProbe {
  /** The last result: a reason when unreachable, undefined when reachable. Probes never wait for the network. */
  check(): string | undefined
  /** Checks now; concurrent calls share one attempt. */
  probe(): Promise<void>
  stop(): void
}

export interface ProbeOptions {
  intervalMs: number
  connectTimeoutMs: number
  tls: tls.ConnectionOptions
  /** Called when the result changes (reachable ↔ a reason). */
  onChange?(reason: string | undefined): void
}

/** A connection only, no HTTP request: the REST proxy sees no traffic and needs no route for it. */
export function createUpstreamProbe(upstreamUrl: string, options: ProbeOptions): UpstreamProbe {
  const url = new URL(upstreamUrl)
  const secure = url.protocol === 'https:'
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
  const port = Number(url.port) || (secure ? 443 : 80)
  let reason: string | undefined = 'not checked yet'
  let attempt: Promise<void> | undefined

  function connectOnce(): Promise<string | undefined> {
    return new Promise((resolve) => {
      const socket = secure
        ? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, ...options.tls })
        : net.connect({ host, port })
      const finish = (result: string | undefined) => {
        socket.destroy()
        resolve(result)
      }
      socket.setTimeout(options.connectTimeoutMs, () => finish('no connection within upstream.connectTimeoutMs'))
      socket.once(secure ? 'secureConnect' : 'connect', () => finish(undefined))
      socket.once('error', (error) => finish(describeUpstreamFailure(error)))
    })
  }

  function probe(): Promise<void> {
    attempt ??= connectOnce()
      .then((result) => {
        if (result !== reason) options.onChange?.(result)
        reason = result
      })
      .finally(() => {
        attempt = undefined
      })
    return attempt
  }

  const timer = setInterval(() => void probe(), options.intervalMs)
  timer.unref()
  void probe()
  return { check: () => reason, probe, stop: () => clearInterval(timer) }
}
