// The gateway in the benchmark's stage-cost mode: `serve` with every pipeline stage timed. On SIGUSR2 it appends the
// totals since the last dump (one JSON line) to the file named on the command line and starts counting again.
// `node bench/.build/bench/gateway-timed.js OUT_FILE --config FILE`
import { appendFileSync, readFileSync } from 'node:fs'
import { loadConfig } from '../src/config/load.js'
import { createStageTimes } from '../src/observability/stage-timing.js'
import { serve } from '../src/process/serve.js'

const [outFile = 'stages.jsonl', ...argv] = process.argv.slice(2)
const config = loadConfig({ argv, env: process.env, readFile: (path) => readFileSync(path, 'utf8') })
const times = createStageTimes()
const serving = await serve(config, { stageTimes: times }, true)
process.on('SIGUSR2', () => {
  const stages = [...times.totals].map(([name, { nanos, calls }]) => ({ name, micros: Number(nanos) / 1000, calls }))
  appendFileSync(outFile, `${JSON.stringify(stages)}\n`)
  times.reset()
})
process.once('SIGTERM', () => {
  void serving.stop().then(() => process.exit(0))
})
