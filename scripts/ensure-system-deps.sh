#!/usr/bin/env bash
# Installs the Debian packages the tests need (redis-server, chromium, openssl, nginx for the bench smoke run) when they are missing; fails loudly otherwise.
set -euo pipefail

need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# The TLS tests make a throw-away CA and certificates at test time (no key material in the repository).
command -v openssl >/dev/null 2>&1 || need+=(openssl)
# The bench's smoke run (in the test command) compares against nginx.
command -v nginx >/dev/null 2>&1 || need+=(nginx)
for extra in "$@"; do command -v "$extra" >/dev/null 2>&1 || need+=("$extra"); done
[ ${#need[@]} -eq 0 ] && exit 0

# To stderr: callers (the bench) print reports on stdout.
echo "installing missing system packages: ${need[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then as_root=(); elif command -v sudo >/dev/null 2>&1; then as_root=(sudo); else
  echo "error: ${need[*]} missing and neither root nor sudo is available to install them" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
for pkg in "${need[@]}"; do
  bin=$pkg; [ "$pkg" = redis-server ] && bin=redis-server
  command -v "$bin" >/dev/null 2>&1 || { echo "error: $pkg did not install" >&2; exit 1; }
done
