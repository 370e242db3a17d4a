// The deny list and strict mode: patterns by segment (`*`, `**`), optional method, case-insensitive, clear errors.
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/config/load.js'
import { configSchema } from '../../../src/config/schema.js'
import type { GatewayError } from '../../../src/errors/gateway-error.js'
import { createClassifier } from '../../../src/policy/classify.js'
import { parseRequestPath } from '../../../src/policy/request-path.js'
import { createRouteFilter } from '../../../src/policy/route-filter.js'
import { minimalEnv } from '../../support/config.js'

const classify = createClassifier()
const policy = (input: Record<string, unknown>) => configSchema.shape.policy.parse(input)

function refusal(policyInput: Record<string, unknown>, method: string, url: string): GatewayError | undefined {
  const filter = createRouteFilter(policy(policyInput))
  const segments = parseRequestPath(url)
  try {
    filter(method, segments, classify(method, segments))
  } catch (error) {
    return error as GatewayError
  }
  return undefined
}

describe('deny list', () => {
  const deny = { deny: ['/admin/**', 'DELETE /consumers/*/instances/*', '/topics/*/partitions/*/offsets'] }

  it.each([
    ['GET', '/admin'],
    ['GET', '/admin/'],
    ['POST', '/admin/topics'],
    ['DELETE', '/admin/topics/t/x'],
    ['GET', '/ADMIN/Topics'],
    ['GET', '/%61dmin/topics'],
    ['DELETE', '/consumers/g/instances/i'],
    ['GET', '/topics/t/partitions/0/offsets'],
  ])('refuses %s %s with 403 ROUTE_DENIED naming the pattern', (method, url) => {
    const error = refusal(deny, method, url)
    expect(error?.status).toBe(403)
    expect(error?.code).toBe('ROUTE_DENIED')
    expect(error?.message).toMatch(/denied by the gateway's policy \(policy\.deny: .+\)/)
  })

  it.each([
    ['GET', '/administrator'],
    ['GET', '/topics/admin'],
    ['GET', '/consumers/g/instances/i/records'],
    ['POST', '/consumers/g/instances/i/offsets'],
    ['GET', '/topics/t/partitions/0'],
  ])('lets %s %s through', (method, url) => {
    expect(refusal(deny, method, url)).toBeUndefined()
  })

  it('treats HEAD like the GET it becomes upstream', () => {
    expect(refusal({ deny: ['GET /brokers'] }, 'HEAD', '/brokers')?.code).toBe('ROUTE_DENIED')
  })

  it('rejects patterns that are not paths at config time', () => {
    expect(configSchema.shape.policy.safeParse({ deny: ['admin/**'] }).success).toBe(false)
    expect(configSchema.shape.policy.safeParse({ deny: '/admin/**' }).data?.deny).toEqual(['/admin/**'])
  })
})

describe('strict mode', () => {
  it('refuses routes outside the table with 403, naming the request and what is allowed', () => {
    const error = refusal({ strict: true }, 'GET', '/v3/clusters/c/links')
    expect(error?.status).toBe(403)
    expect(error?.code).toBe('ROUTE_DENIED')
    expect(error?.message).toContain('"GET /v3/clusters/c/links"')
    expect(error?.message).toContain('policy.strict')
  })

  it('lets table routes through', () => {
    expect(refusal({ strict: true }, 'POST', '/topics/t')).toBeUndefined()
    expect(refusal({ strict: true }, 'GET', '/consumers/g/instances/i/records')).toBeUndefined()
    expect(refusal({ strict: true }, 'GET', '/v3/clusters')).toBeUndefined()
  })

  it('is off by default', () => {
    expect(refusal({}, 'GET', '/v3/clusters')).toBeUndefined()
  })
})

describe('environment', () => {
  it('sets the policy from GATEWAY_POLICY_* variables', () => {
    const config = loadConfig({
      env: {
        ...minimalEnv,
        GATEWAY_POLICY_STRICT: 'true',
        GATEWAY_POLICY_DENY: '/admin/**, DELETE /consumers/**',
        GATEWAY_POLICY_MAX_JSON_BODY: '4096',
        GATEWAY_POLICY_MAX_V3_BODY: '2097152',
      },
    })
    expect(config.policy).toEqual({
      strict: true,
      deny: ['/admin/**', 'DELETE /consumers/**'],
      maxJsonBody: 4096,
      maxV3Body: 2_097_152,
    })
  })
})
