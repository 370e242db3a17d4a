// The deployment examples stay true: their gateway settings load with the real config loader, and probes, ports,
// secrets, users and grace periods agree with those settings and with the Dockerfile; the compose quick start and the
// minimal config file start as they are (run here with the real entry points).
import { readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parse, parseAllDocuments } from 'yaml'
import { envBindings } from '../../src/config/env.js'
import { loadConfig } from '../../src/config/load.js'
import { startEmulator } from '../../src/emulator/kafka-rest-emulator.js'
import { eventually } from '../support/eventually.js'
import { listeningUrl, runEntry, type Started } from '../support/processes.js'

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
  securityContext: {
    readOnlyRootFilesystem: boolean
    allowPrivilegeEscalation: boolean
    runAsUser?: number
    runAsGroup?: number
  }
  resources: { requests: { memory: string }; limits: { memory: string } }
}

/** The runtime image's `USER uid:gid`. */
function imageUser(): [number, number] {
  const users = [...readFileSync('Dockerfile', 'utf8').matchAll(/^USER (.+)$/gm)].map((match) => match[1])
  const [uid, gid] = (users.at(-1) as string).split(':').map(Number)
  return [uid as number, gid as number]
}

const mebibytes = (quantity: string) => Number(/^(\d+)Mi$/.exec(quantity)?.[1])

const children: Started[] = []
afterAll(async () => {
  await Promise.all(children.map((child) => child.stop()))
})

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
  })

  it('runs every container as a numeric user, as runAsNonRoot needs; the gateway as the image user', () => {
    expect(pod.securityContext.runAsNonRoot).toBe(true)
    for (const container of containers) expect(Number.isInteger(container.securityContext?.runAsUser)).toBe(true)
    const [uid, gid] = imageUser()
    expect(gateway.securityContext).toMatchObject({ runAsUser: uid, runAsGroup: gid })
    // The Secret volume is readable by the gateway's group.
    expect(pod.securityContext.fsGroup).toBe(gid)
  })

  it('requests at least the measured idle memory, and limits above it', () => {
    expect(mebibytes(gateway.resources.requests.memory)).toBeGreaterThanOrEqual(128)
    expect(mebibytes(gateway.resources.limits.memory)).toBeGreaterThan(mebibytes(gateway.resources.requests.memory))
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

  it('reaches the unpublished REST proxy by service name, and gives the drain time before the kill', () => {
    expect(new URL(config.upstream.url).hostname).toBe('kafka-rest')
    expect(compose.services['kafka-rest'].ports).toBeUndefined()
    expect(Number.parseInt(gateway.stop_grace_period, 10) * 1000).toBeGreaterThan(config.server.shutdownGraceMs)
  })

  it('needs no outside identity provider: the local issuer service, found by OIDC discovery', () => {
    const issuer = compose.services.issuer
    expect(issuer.build).toEqual({ context: '../..', target: 'dev-issuer' })
    expect(readFileSync('Dockerfile', 'utf8')).toMatch(/^FROM build AS dev-issuer$/m)
    expect(gateway.depends_on).toContain('issuer')
    expect(config.auth.issuers).toEqual([
      expect.objectContaining({ issuer: issuer.environment.ISSUER_URL, audience: issuer.environment.ISSUER_AUDIENCE }),
    ])
    expect(config.auth.issuers[0]?.jwksUrl).toBeUndefined()
    expect(new URL(issuer.environment.ISSUER_URL).hostname).toBe('issuer')
    // Published on the host's loopback only: tokens for anyone who asks must not reach the network.
    expect(issuer.ports).toEqual(['127.0.0.1:8090:8090'])
  })

  it('reports healthy only when ready, so `up --wait` returns when requests work', () => {
    expect(gateway.healthcheck.test.join(' ')).toContain(`http://127.0.0.1:${config.server.adminPort}/readyz`)
  })

  it('becomes ready and serves a token from the issuer service, run as compose runs them', async () => {
    const emulator = await startEmulator({ apiKeys: [gateway.environment.GATEWAY_UPSTREAM_API_KEY] })
    try {
      const issuer = runEntry('src/dev/issuer-main.ts', { ISSUER_PORT: '0' })
      children.push(issuer)
      const issuerUrl = (await eventually(() => /^local token issuer (http:\S+)/m.exec(issuer.output())?.[1])) as string
      const env = {
        ...gateway.environment,
        GATEWAY_HOST: '127.0.0.1',
        GATEWAY_PORT: '0',
        GATEWAY_ADMIN_PORT: '0',
        GATEWAY_WORKERS: '1',
        GATEWAY_REDIS_URL: '',
        GATEWAY_UPSTREAM_URL: emulator.url,
        GATEWAY_JWT_ISSUER: issuerUrl,
      }
      const started = runEntry('src/process/main.ts', env)
      children.push(started)
      const url = await listeningUrl(started)
      await eventually(async () => (await fetch(`${url}/readyz`)).status === 200, { timeoutMs: 15_000 })
      const token = await (await fetch(`${issuerUrl}/token?format=text`)).text()
      const res = await fetch(`${url}/topics`, { headers: { authorization: `Bearer ${token}` } })
      expect(res.status).toBe(200)
    } finally {
      await emulator.close()
    }
  })
})

describe('config/gateway.minimal.yaml', () => {
  it('passes --check as it is', async () => {
    const check = runEntry('src/process/main.ts', {}, ['--check', '--config', 'config/gateway.minimal.yaml'])
    expect(await check.exited).toBe(0)
    expect(check.output()).toBe('configuration OK\n')
  })

  it('starts as it is, in front of a REST proxy and an issuer on this machine', async () => {
    const started = runEntry('src/process/main.ts', { GATEWAY_PORT: '0' }, ['--config', 'config/gateway.minimal.yaml'])
    children.push(started)
    const url = await listeningUrl(started)
    expect((await fetch(`${url}/healthz`)).status).toBe(200)
  })
})
