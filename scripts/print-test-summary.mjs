// Prints the plain closing line `N passed, N failed` from vitest's JSON report, and fails when nothing ran.
import { readFileSync } from 'node:fs'

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const passed = report.numPassedTests
// A file that fails to load has no failed test of its own: count it once; otherwise count failed tests only.
const brokenFiles = report.testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0)
const failed = report.numFailedTests + brokenFiles.length
const skipped = report.numPendingTests + report.numTodoTests
console.log(`Tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
if (passed === 0 || failed > 0) process.exit(1)
