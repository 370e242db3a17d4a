// The soak: a steady rate from many distinct users doing what Kafka REST clients do (produce, consumer create, consume,
// delete), counting every 5xx and every connection the target reset. A proxy in front of a healthy upstream owes zero.
import http from 'node:http'
import { produceBody, V1_BINARY, V2, V2_BINARY } from './workloads.js'

export interface SoakSpec {
  url: string
  /** One entry per user: the credentials its requests carry (a user's own token, or the upstream key). */
  users: ReadonlyArray<Readonly<Record<string, string>>>
  rate: number
  durationSeconds: number
}

export interface SoakResult {
  seconds: number
  requests: number
  /** Answers by status class. */
  ok: number
  clientErrors: number
  serverErrors: number
  /** Connections reset or closed before the answer was complete (the client cannot tell what happened). */
  resets: number
  /**
   * Of those, resets of a request sent on a pooled client connection before any answer byte: the client reused a
   * connection the target was closing as idle (its keep-alive timeout), a race on the client's side of the hop.
   */
  idleRaces: number
  /** Requests without an answer within 10 s. */
  timeouts: number
  /** A few examples of the 5xx bodies and reset causes, for whoever reads the log. */
  samples: string[]
}

/** How often the pacer wakes up. */
const TICK_MS = 2
const PRODUCE = produceBody(256)

/** Each user walks these steps in order, one request at a time. */
type Step = 'produce' | 'create' | 'consume' | 'delete'
const STEPS: readonly Step[] = ['produce', 'create', 'consume', 'delete']

interface User {
  auth: Readonly<Record<string, string>>
  step: number
  busy: boolean
  /** The consumer instance path from its create answer's base_uri. */
  instance?: string
  created: number
}

export function runSoak(spec: SoakSpec): Promise<SoakResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 })
  // Half the users start with a produce, half with a consumer create, so the mix moves in smaller waves.
  const users: User[] = spec.users.map((auth, i) => ({ auth, step: i % 2, busy: false, created: 0 }))
  const total = Math.max(1, Math.floor(spec.rate * spec.durationSeconds))
  const result: SoakResult = {
    seconds: 0,
    requests: 0,
    ok: 0,
    clientErrors: 0,
    serverErrors: 0,
    resets: 0,
    idleRaces: 0,
    timeouts: 0,
    samples: [],
  }
  const sample = (line: string) => {
    if (result.samples.length < 10) result.samples.push(line)
  }
  let sent = 0
  let settled = 0
  let next = 0
  const startedAt = performance.now()

  return new Promise((resolve) => {
    const finish = () => {
      clearInterval(ticker)
      agent.destroy()
      result.seconds = (performance.now() - startedAt) / 1000
      resolve(result)
    }
    const settle = (user: User, status: number | 'reset' | 'timeout' | 'idle race', text: string) => {
      user.busy = false
      result.requests++
      if (status === 'idle race') result.idleRaces++
      if (status === 'reset' || status === 'idle race') result.resets++
      else if (status === 'timeout') result.timeouts++
      else if (status >= 500) result.serverErrors++
      else if (status >= 400) result.clientErrors++
      else result.ok++
      if (typeof status !== 'number' || status >= 500) sample(`${STEPS[user.step]}: ${status} ${text}`)
      advance(user, typeof status === 'number' && status < 300, text)
      if (++settled === total) finish()
    }
    const send = (user: User) => {
      user.busy = true
      const step = STEPS[user.step] as Step
      const { method, path, headers, body } = requestFor(step, user)
      let done = false
      const once = (status: number | 'reset' | 'timeout' | 'idle race', text: string) => {
        if (done) return
        done = true
        settle(user, status, text)
      }
      let answered = false
      const req = http.request(new URL(path, spec.url), { method, headers, agent }, (res) => {
        answered = true
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          if (text.length < 2048) text += chunk
        })
        res.on('end', () => once(res.statusCode ?? 0, text))
        res.on('error', (error) => once('reset', error.message))
      })
      req.setTimeout(10_000, () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })))
      req.on('error', (error: NodeJS.ErrnoException) => {
        const idleRace = req.reusedSocket && !answered && error.code === 'ECONNRESET'
        once(error.code === 'TIMEOUT' ? 'timeout' : idleRace ? 'idle race' : 'reset', error.code ?? error.message)
      })
      req.end(body)
    }
    const ticker = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - startedAt) / 1000) * spec.rate))
      for (; sent < due; sent++) {
        // The next idle user, round-robin (with many more users than requests in flight, the first one tried).
        let user = users[next++ % users.length] as User
        for (let tries = 0; user.busy && tries < users.length; tries++) user = users[next++ % users.length] as User
        send(user)
      }
    }, TICK_MS)
  })
}

function requestFor(step: Step, user: User) {
  const json = { 'content-type': V2, accept: V2 }
  switch (step) {
    case 'produce':
      return {
        method: 'POST',
        path: '/topics/bench',
        headers: { ...user.auth, 'content-type': V1_BINARY, 'content-length': String(PRODUCE.length) },
        body: PRODUCE,
      }
    case 'create': {
      const body = Buffer.from(JSON.stringify({ name: `soak-${user.created++}`, format: 'binary' }))
      return {
        method: 'POST',
        path: '/consumers/bench-soak',
        headers: { ...user.auth, ...json, 'content-length': String(body.length) },
        body,
      }
    }
    case 'consume':
      return { method: 'GET', path: `${user.instance}/records`, headers: { ...user.auth, accept: V2_BINARY } }
    case 'delete':
      return { method: 'DELETE', path: user.instance ?? '/', headers: { ...user.auth, ...json } }
  }
}

/** The next step after an answer; a failed create starts the walk again (there is no instance to use). */
function advance(user: User, ok: boolean, text: string): void {
  const step = STEPS[user.step]
  if (step === 'create') {
    const instance = ok ? instancePath(text) : undefined
    if (!instance) {
      user.step = 0
      return
    }
    user.instance = instance
  }
  user.step = (user.step + 1) % STEPS.length
}

function instancePath(text: string): string | undefined {
  try {
    return new URL((JSON.parse(text) as { base_uri: string }).base_uri).pathname
  } catch {
    return undefined
  }
}
