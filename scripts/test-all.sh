#!/usr/bin/env bash
# Every check a change must pass: system packages, formatting and lint, types, then all test suites.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-system-deps.sh
npx biome check .
npx tsc --noEmit
status=0
npx vitest run "$@" || status=$?
node scripts/print-test-summary.mjs test-output/vitest.json || status=1
exit $status
