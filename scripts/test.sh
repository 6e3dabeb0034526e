#!/usr/bin/env bash
# The project's one test command: `npm test` (README quick start; .ci/run runs exactly that).
# Needs only Node.js >= 20.18.1 and npm: pnpm and the extra Node versions come from the npm
# registry at pinned versions.
set -euo pipefail
cd "$(dirname "$0")/.."
PNPM="npx -y pnpm@12.4.2"
step() { printf '\n== %s\n' "$*"; }

step "install (frozen lockfile)"
$PNPM install --frozen-lockfile
step "build every package (ESM + CJS + types)"
$PNPM -r --filter './packages/**' run build
step "lint and format (biome)"
$PNPM exec biome ci --colors=off .
step "typecheck"
$PNPM -r run typecheck
step "package checks (publint, are-the-types-wrong)"
$PNPM -r --filter './packages/**' run check:package
step "tests on Node $(node --version)"
$PNPM exec vitest run
# Nothing may depend on the machine's time zone (KQL reads a time without a zone as UTC): the
# whole suite once more in a zone far from UTC, as a CI machine elsewhere would run it.
step "tests with TZ=America/New_York"
TZ=America/New_York $PNPM exec vitest run

# The supported range starts at Node 20.18.1; the public tests (the built packages, as users
# load them) also run on the current LTS lines, taken from the registry's `node` package.
if [ "${SKIP_NODE_MATRIX:-}" != 1 ]; then
  for v in 22 24; do
    step "public tests on Node $v"
    npx -y -p "node@$v" -- node node_modules/vitest/vitest.mjs run --project public 2>&1 || {
      echo "public tests failed on Node $v"; exit 1; }
  done
fi
