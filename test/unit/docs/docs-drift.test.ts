// The documentation against the code, where a machine can compare them: environment variables, the error table, the
// order of the pipeline stages and relative links. A doc that drifts from src/config/env.ts, src/errors/catalogue.ts or
// src/gateway.ts fails here, not in a user's hands.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { envBindings } from '../../../src/config/env.js'
import { catalogue } from '../../../src/errors/catalogue.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const read = (file: string) => readFileSync(path.join(root, file), 'utf8')
const docs = [
  'README.md',
  ...readdirSync(path.join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
]

/** Variables read outside the bindings table: the config file's name (src/config/load.ts). */
const OTHER_VARIABLES = ['GATEWAY_CONFIG']

/** The text outside fenced code blocks: links and headings there are examples, not the document's own. */
function prose(text: string): string {
  return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '')
}

/** GitHub's anchor for a heading: lower case, punctuation dropped (hyphens and underscores kept), spaces as hyphens. */
function slugOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-')
}

function anchorsOf(text: string): Set<string> {
  const seen = new Map<string, number>()
  const anchors = new Set<string>()
  for (const [, heading = ''] of prose(text).matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const slug = slugOf(heading)
    const count = seen.get(slug) ?? 0
    seen.set(slug, count + 1)
    anchors.add(count === 0 ? slug : `${slug}-${count}`)
  }
  return anchors
}

/** The relative link targets of a Markdown text (inline links and images), outside code. */
function relativeLinks(text: string): string[] {
  const outsideCode = prose(text).replace(/`[^`\n]*`/g, '')
  return [...outsideCode.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
    .map(([, target = '']) => target)
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target))
}

/** Rows of the error table: `| status | \`NAME\` | error_code | when |`. */
function errorTable(text: string): Map<string, { status: number; errorCode: number }> {
  const rows = new Map<string, { status: number; errorCode: number }>()
  for (const [, status, name = '', errorCode] of text.matchAll(
    /^\|\s*(\d{3})\s*\|\s*`([A-Z_]+)`\s*\|\s*(\d{5})\s*\|/gm,
  )) {
    expect(rows.has(name), `${name} is listed twice`).toBe(false)
    rows.set(name, { status: Number(status), errorCode: Number(errorCode) })
  }
  return rows
}

describe('README.md front page', () => {
  it('opens with the two commands, the second the one CI runs', () => {
    const blocks = [...read('README.md').matchAll(/^```sh\n(.+)\n```$/gm)].map(([, line = '']) =>
      line.split('#')[0]?.trim(),
    )
    expect(blocks.slice(0, 2)).toEqual(['npm install && npm run dev', 'npm install && npm test'])
    expect(read('.ci/run').trim().split('\n').at(-1)).toBe('npm install && npm test')
  })
})

describe('docs/configuration.md and the GATEWAY_* variables', () => {
  const known = new Set([...envBindings.map((binding) => binding.env), ...OTHER_VARIABLES])
  const configuration = read('docs/configuration.md')

  it('names every variable of src/config/env.ts in a table row with the key it sets', () => {
    const rows = configuration.split('\n').filter((line) => line.startsWith('|'))
    for (const { env, path: keyPath } of envBindings) {
      // A secret source (`upstream.keys.default.file`) is documented as its key (`upstream.keys.default`).
      const parts = keyPath.at(-3) === 'keys' ? keyPath.slice(0, -1) : keyPath
      const key = parts
        .map((part) => (typeof part === 'number' ? `[${part}]` : `.${part}`))
        .join('')
        .slice(1)
      const row = rows.find((line) => line.includes(`\`${env}\``) && line.includes(`\`${key}\``))
      expect(row, `a row with \`${key}\` and \`${env}\``).toBeDefined()
    }
  })

  it('the other variables are really read', () => {
    expect(read('src/config/load.ts')).toContain('env.GATEWAY_CONFIG')
    expect(configuration).toContain('`GATEWAY_CONFIG`')
  })

  it.each(docs)('%s names no variable that does not exist', (file) => {
    const named = new Set(read(file).match(/\bGATEWAY_[A-Z0-9_]*[A-Z0-9]\b/g) ?? [])
    expect([...named].filter((name) => !known.has(name))).toEqual([])
  })
})

describe('the error table in docs/operations.md and src/errors/catalogue.ts', () => {
  const table = errorTable(read('docs/operations.md'))

  it('lists exactly the catalogue, each code with its status and error_code', () => {
    const expected = Object.fromEntries(
      Object.entries(catalogue).map(([name, entry]) => [name, { status: entry.status, errorCode: entry.errorCode }]),
    )
    expect(Object.fromEntries(table)).toEqual(expected)
  })

  it.each(docs)('%s quotes no error_code that the catalogue lacks', (file) => {
    const codes = new Set<number>(Object.values(catalogue).map((entry) => entry.errorCode))
    const quoted = (prose(read(file)).match(/\b[45]\d{4}\b/g) ?? []).map(Number)
    expect([...new Set(quoted)].filter((code) => !codes.has(code))).toEqual([])
  })
})

/** The stages of src/gateway.ts in the order the code lists them, each by the expression that adds it. */
function stageOrder(stageWords: Record<string, string>): string[] {
  const source = read('src/gateway.ts')
  const list = source.slice(
    source.indexOf('const stages: Stage[] = ['),
    source.indexOf('const pipeline = createPipeline'),
  )
  const code = list.replace(/\/\/.*$/gm, '')
  const at = (expression: string) => {
    const index = code.indexOf(expression)
    expect(index, `src/gateway.ts adds the stage ${expression}`).toBeGreaterThan(-1)
    return index
  }
  return Object.keys(stageWords).sort((a, b) => at(a) - at(b))
}

/** The same stages in the order a section of a doc first names them. */
function namedOrder(file: string, heading: string, stageWords: Record<string, string>): string[] {
  const text = read(file)
  const start = text.indexOf(heading)
  expect(start, `${file} has ${heading}`).toBeGreaterThan(-1)
  const end = text.indexOf('\n## ', start + heading.length)
  const section = text.slice(start, end === -1 ? undefined : end)
  const at = (stage: string) => {
    const index = section.indexOf(stageWords[stage] as string)
    expect(index, `${file} (${heading}) names ${stageWords[stage]}`).toBeGreaterThan(-1)
    return index
  }
  return Object.keys(stageWords).sort((a, b) => at(a) - at(b))
}

describe('the stage order in the docs and src/gateway.ts', () => {
  it('README.md (How it works) lists the stages in the order of the code', () => {
    const words = {
      'requestGuard(': 'request guard',
      'unreadBody(': 'middleware before the gateway read the body',
      'securityHeaders(': 'security headers',
      'cors(': 'CORS',
      'checkHost(': '`Host` validation',
      'classifyRoute(': 'route classification',
      'audit?.stage': 'audit',
      'limits.beforeAuthentication': 'per-IP limit',
      'authenticate(': 'authentication, then',
      'limits.onIdentified': 'rate-limit budget',
      'enforcePolicy(': 'route policy',
      'authorize(': 'topic permissions',
      'consumerOwnership(': 'consumer ownership',
      'limits.afterAuthentication': 'produce quotas',
      swapCredentialsStage: 'credential swap',
    }
    expect(namedOrder('README.md', '## How it works', words)).toEqual(stageOrder(words))
  })

  it('docs/security.md (how a request is handled) lists the stages in the order of the code', () => {
    const words = {
      'requestGuard(': 'request guard',
      'unreadBody(': 'unread body',
      'securityHeaders(': 'security headers',
      'cors(': 'CORS',
      'checkHost(': '`Host` check',
      'classifyRoute(': 'route classification',
      'audit?.stage': 'audit',
      'limits.beforeAuthentication': 'pre-auth limit',
      'authenticate(': 'authentication;',
      'limits.onIdentified': 'rate-limit admit',
      'enforcePolicy(': 'route policy',
      'authorize(': 'topic permissions',
      'consumerOwnership(': 'consumer ownership',
      'limits.afterAuthentication': 'produce quotas',
      swapCredentialsStage: 'credential swap',
    }
    expect(namedOrder('docs/security.md', '## How a request is handled', words)).toEqual(stageOrder(words))
  })
})

describe('relative links in README.md and docs/', () => {
  it.each(docs)('%s links only to files and headings that exist', (file) => {
    const broken = relativeLinks(read(file)).filter((link) => {
      const [target = '', anchor] = link.split('#')
      const resolved = target === '' ? path.join(root, file) : path.resolve(path.dirname(path.join(root, file)), target)
      if (!resolved.startsWith(root) || !existsSync(resolved)) return true
      return anchor !== undefined && resolved.endsWith('.md') && !anchorsOf(readFileSync(resolved, 'utf8')).has(anchor)
    })
    expect(broken).toEqual([])
  })

  it('the checker finds what it must', () => {
    expect(slugOf('Signing keys: rotation and identity-provider outages')).toBe(
      'signing-keys-rotation-and-identity-provider-outages',
    )
    expect(slugOf('What `server.publicUrl` overrides')).toBe('what-serverpublicurl-overrides')
    expect(anchorsOf('# A\n```\n# not a heading\n```\n## A\n')).toEqual(new Set(['a', 'a-1']))
    expect(relativeLinks('[a](b.md#c) [d](https://e.example/) `[f](g.md)` [h](#i)')).toEqual(['b.md#c', '#i'])
  })
})
