#!/usr/bin/env bash
# npm run bench: installs nginx when missing (fails loudly when it cannot), compiles, then runs bench/run.ts.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian puts nginx in /usr/sbin, which is not on every user's PATH.
export PATH="$PATH:/usr/sbin:/sbin"
bash scripts/ensure-system-deps.sh nginx
# Compiled like `npm run build`: the gateway runs as production runs it (plain node, no TypeScript loader in memory).
node_modules/.bin/tsc -p bench/tsconfig.json
exec node bench/.build/bench/run.js "$@"
