// A throw-away certificate authority made with the openssl CLI at test time: no key material lives in the repository.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface IssuedCert {
  certFile: string
  keyFile: string
  cert: string
  key: string
}

export interface TestCa {
  caFile: string
  ca: string
  /** A leaf certificate signed by this CA; `names` become its subjectAltNames (IP addresses or DNS names). */
  issue(name: string, options?: { names?: string[]; usage?: 'serverAuth' | 'clientAuth' }): IssuedCert
  close(): void
}

const INSTALL_HINT = 'openssl is not installed: run `bash scripts/ensure-system-deps.sh` (npm test does)'
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes']

export function createTestCa(commonName = 'kafka-rest-gateway test CA'): TestCa {
  if (spawnSync('openssl', ['version']).error) throw new Error(INSTALL_HINT)
  const dir = mkdtempSync(join(tmpdir(), 'gateway-ca-'))
  const path = (file: string) => join(dir, file)
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] })
  openssl(
    ...['req', '-x509', ...EC_KEY, '-keyout', path('ca.key'), '-out', path('ca.crt'), '-days', '2'],
    ...['-subj', `/CN=${commonName}`, '-addext', 'basicConstraints=critical,CA:TRUE'],
    ...['-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
  )
  let serial = 0
  return {
    caFile: path('ca.crt'),
    ca: readFileSync(path('ca.crt'), 'utf8'),
    issue(name, { names = ['127.0.0.1', 'localhost'], usage = 'serverAuth' } = {}) {
      const base = path(`${name}-${++serial}`)
      const alt = names.map((n) => (/^[\d.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',')
      writeFileSync(`${base}.ext`, `subjectAltName=${alt}\nextendedKeyUsage=${usage}\nbasicConstraints=CA:FALSE\n`)
      openssl('req', ...EC_KEY, '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', `/CN=${name}`)
      openssl(
        ...['x509', '-req', '-in', `${base}.csr`, '-CA', path('ca.crt'), '-CAkey', path('ca.key')],
        ...['-set_serial', String(Date.now() * 1000 + serial), '-days', '1', '-extfile', `${base}.ext`],
        ...['-out', `${base}.crt`],
      )
      return {
        certFile: `${base}.crt`,
        keyFile: `${base}.key`,
        cert: readFileSync(`${base}.crt`, 'utf8'),
        key: readFileSync(`${base}.key`, 'utf8'),
      }
    },
    close: () => rmSync(dir, { recursive: true, force: true }),
  }
}
