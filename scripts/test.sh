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
# The web console's tests drive Debian's Chromium (test/console.test.ts). Root (as in CI)
# installs it when missing; elsewhere those tests are skipped with one line saying why.
step "browser for the console tests"
if [ -n "${CHROMIUM_PATH:-}" ] || [ -x /usr/bin/chromium ]; then
  echo "chromium: ${CHROMIUM_PATH:-/usr/bin/chromium}"
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium >/dev/null
  echo "chromium installed: /usr/bin/chromium"
else
  echo "chromium not found and not root: the console's browser tests will be skipped (apt-get install chromium runs them)"
fi
step "tests on Node $(node --version)"
$PNPM exec vitest run
# Our users run Node 22 and 24: the whole suite runs again on Node 24 (from the registry's `node`
# package), in a time zone far from UTC, since nothing may depend on the machine's zone (KQL reads
# a time without a zone as UTC) and a CI machine elsewhere would run in its own. Node 22 runs the
# public tests (the built packages, as users load them).
if [ "${SKIP_NODE_MATRIX:-}" != 1 ]; then
  step "all tests on Node 24, TZ=America/New_York"
  TZ=America/New_York npx -y -p "node@24" -- node node_modules/vitest/vitest.mjs run 2>&1 || {
    echo "tests failed on Node 24"; exit 1; }
  step "public tests on Node 22"
  npx -y -p "node@22" -- node node_modules/vitest/vitest.mjs run --project public 2>&1 || {
    echo "public tests failed on Node 22"; exit 1; }
else
  step "tests with TZ=America/New_York"
  TZ=America/New_York $PNPM exec vitest run
fi
