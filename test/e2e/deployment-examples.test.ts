// The deployment examples stay true: their gateway settings load with the real config loader, and probes, ports,
// secrets and grace periods agree with those settings.
import { readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse, parseAllDocuments } from 'yaml'
import { envBindings } from '../../src/config/env.js'
import { loadConfig } from '../../src/config/load.js'

const knownEnv = new Set([...envBindings.map((binding) => binding.env), 'GATEWAY_CONFIG'])

interface Container {
  name: string
  env: Array<{ name: string; value: string }>
  ports: Array<{ name: string; containerPort: number }>
  volumeMounts: Array<{ name: string; mountPath: string }>
  livenessProbe: { httpGet: { path: string; port: string } }
  readinessProbe: { httpGet: { path: string; port: string } }
  startupProbe: { httpGet: { path: string; port: string } }
  lifecycle: { preStop: { exec: { command: string[] } } }
  securityContext: { readOnlyRootFilesystem: boolean; allowPrivilegeEscalation: boolean }
  resources: { requests: object; limits: object }
}

function gatewayConfig(env: Record<string, string>) {
  expect(Object.keys(env).filter((name) => !knownEnv.has(name))).toEqual([])
  return loadConfig({ env })
}

describe('examples/kubernetes/sidecar.yaml', () => {
  const [deployment, service] = parseAllDocuments(readFileSync('examples/kubernetes/sidecar.yaml', 'utf8')).map((d) =>
    d.toJS(),
  )
  const pod = deployment.spec.template.spec
  const containers = pod.containers as Container[]
  const gateway = containers.find((c) => c.name === 'gateway') as Container
  const restProxy = containers.find((c) => c.name === 'kafka-rest') as Container
  const env = Object.fromEntries(gateway.env.map(({ name, value }) => [name, value]))
  const config = gatewayConfig(env)
  const portOf = (name: string) => gateway.ports.find((p) => p.name === name)?.containerPort

  it('probes /healthz and /readyz on the admin port the gateway is configured with', () => {
    expect(portOf('admin')).toBe(config.server.adminPort)
    expect(portOf('http')).toBe(config.server.port)
    expect(gateway.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'admin' })
    expect(gateway.startupProbe.httpGet).toEqual({ path: '/healthz', port: 'admin' })
    expect(gateway.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'admin' })
    expect(deployment.spec.template.metadata.annotations['prometheus.io/port']).toBe(String(config.server.adminPort))
  })

  it('reaches the REST proxy on loopback only and exposes only the gateway', () => {
    const listeners = restProxy.env.find((e) => e.name === 'KAFKA_REST_LISTENERS')?.value
    expect(new URL(listeners as string).hostname).toBe('127.0.0.1')
    expect(new URL(config.upstream.url).host).toBe(new URL(listeners as string).host)
    expect(service.spec.ports.map((p: { targetPort: string }) => p.targetPort)).toEqual(['http'])
  })

  it('reads the API key from the mounted Secret, and gives the drain time before the kill', () => {
    const file = (config.upstream.keys.default as { file: string }).file
    expect(gateway.volumeMounts.map((m) => m.mountPath)).toContain(dirname(file))
    const preStopSeconds = Number(gateway.lifecycle.preStop.exec.command.at(-1))
    expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(
      config.server.shutdownGraceMs + preStopSeconds * 1000,
    )
    expect(gateway.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false })
    expect(gateway.resources.requests).toBeDefined()
    expect(gateway.resources.limits).toBeDefined()
  })
})

describe('examples/compose/compose.yaml', () => {
  const compose = parse(readFileSync('examples/compose/compose.yaml', 'utf8'))
  const gateway = compose.services.gateway
  const config = gatewayConfig(gateway.environment)

  it('runs workers with the shared Redis store the config requires, and publishes the main and admin ports', () => {
    expect(config.server.workers).toBeGreaterThan(1)
    expect(new URL(config.rateLimit.redis.url as string).hostname).toBe('redis')
    expect(gateway.ports).toEqual([
      `${config.server.port}:${config.server.port}`,
      `${config.server.adminPort}:${config.server.adminPort}`,
    ])
  })

  it('reaches the unpublished REST proxy by service name and reads the key from a compose secret', () => {
    expect(new URL(config.upstream.url).hostname).toBe('kafka-rest')
    expect(compose.services['kafka-rest'].ports).toBeUndefined()
    const file = (config.upstream.keys.default as { file: string }).file
    expect(file).toBe(`/run/secrets/${gateway.secrets[0]}`)
    expect(Number.parseInt(gateway.stop_grace_period, 10) * 1000).toBeGreaterThan(config.server.shutdownGraceMs)
  })
})
