// Many clients that each open a connection, send one request, wait for the first answer bytes and disappear — run in a
// worker thread, so the flood has its own core and heap and the measured process holds only the servers.
import { Worker } from 'node:worker_threads'

const FLOOD = `
const net = require('node:net')
const { workerData, parentPort } = require('node:worker_threads')
const { host, port, request, count, concurrency } = workerData
function abortOne() {
  return new Promise((resolve) => {
    const socket = net.connect(port, host, () => socket.write(request))
    socket.on('error', () => resolve())
    socket.once('data', () => {
      socket.destroy()
      resolve()
    })
  })
}
let next = 0
async function worker() {
  while (next++ < count) await abortOne()
}
Promise.all(Array.from({ length: concurrency }, worker)).then(() => parentPort.postMessage('done'))
`

export function abortFlood(url: string, request: string, count: number, concurrency = 50): Promise<void> {
  const { hostname, port } = new URL(url)
  const worker = new Worker(FLOOD, {
    eval: true,
    workerData: { host: hostname, port: Number(port), request, count, concurrency },
  })
  return new Promise((resolve, reject) => {
    worker.once('message', () => resolve())
    worker.once('error', reject)
    worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`flood worker exited with ${code}`))))
  })
}
