#!/usr/bin/env bash
# `npm run demo`: the local tour. Needs only Node.js >= 20.18.1 and npm (pnpm comes from the
# registry at a pinned version). Installs, builds the packages, then runs examples/demo.mjs,
# which starts the Logs Ingestion emulator in-process, logs through winston and pino, and
# prints what landed. Exits 0 and leaves nothing running; `npm run demo -- --console` keeps the
# emulator up afterwards (until Ctrl-C) and prints its web console's address.
set -euo pipefail
cd "$(dirname "$0")/.."
PNPM=(npx -y pnpm@12.4.2)

log="$(mktemp -t azure-ingestion-demo.XXXXXX)"
trap 'rm -f "$log"' EXIT

# Runs one step quietly; on failure shows its output and stops.
step() {
  local title="$1"
  shift
  printf '> %s ... ' "$title"
  local t0=$SECONDS
  if "$@" >"$log" 2>&1; then
    printf 'done (%ss)\n' "$((SECONDS - t0))"
  else
    local code=$?
    printf 'FAILED\n\n'
    cat "$log"
    exit "$code"
  fi
}

node -e 'const [a,b,c]=process.versions.node.split(".").map(Number);if(a<20||(a===20&&(b<18||(b===18&&c<1)))){console.error(`Node.js >= 20.18.1 is required (this is ${process.version})`);process.exit(1)}'

step "install (pnpm 12.4.2, frozen lockfile)" "${PNPM[@]}" install --frozen-lockfile
step "build the four packages" "${PNPM[@]}" -r --filter './packages/**' run build
node examples/demo.mjs "$@"
