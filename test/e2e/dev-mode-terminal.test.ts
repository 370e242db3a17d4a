// `npm run dev` in a terminal: log lines are readable (pino-pretty: local time, level, message, fields on one line)
// instead of JSON with epoch times. The terminal is a real pseudo-terminal, from util-linux's `script`.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { afterAll, expect, it } from 'vitest'
import { eventually } from '../support/eventually.js'

let terminal: ChildProcess | undefined
afterAll(async () => {
  if (terminal?.pid && terminal.exitCode === null) {
    const exited = once(terminal, 'exit')
    process.kill(-terminal.pid, 'SIGTERM')
    await exited
  }
})

it('prints each access line as one readable line on a terminal, with the refusal and its reason', async () => {
  const command = `${process.execPath} --import tsx src/dev/dev.ts`
  terminal = spawn('script', ['-qfec', command, '/dev/null'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, GATEWAY_PORT: '0' },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  })
  let output = ''
  terminal.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  await eventually(() => output.includes('Press Ctrl+C'), { timeoutMs: 30_000 })
  const gateway = /gateway\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1]
  const res = await fetch(`${gateway}/topics`, { headers: { authorization: 'Bearer not.a.jwt' } })
  const requestId = res.headers.get('x-request-id') as string
  await res.arrayBuffer()

  // biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal colours are part of what is checked
  const plain = () => output.replace(/\u001b\[\d+m/g, '')
  const line = await eventually(() =>
    plain()
      .split('\r\n')
      .find((text) => text.includes(requestId)),
  )
  expect(line).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: request /)
  expect(line).toContain('"status":401')
  expect(line).toContain('"refusal":"TOKEN_INVALID"')
  expect(line).toContain('"reason":"malformed token"')
  expect(output).toContain('\u001b[') // coloured
  expect(plain()).not.toContain('{"level":')
})
