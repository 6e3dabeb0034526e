#!/usr/bin/env bash
# The project's one test command (README quick start; .ci/run runs exactly `npm test`).
# Needs only Node.js >= 20.18.1 and npm: pnpm comes from the registry at a pinned version.
set -euo pipefail
cd "$(dirname "$0")/.."
PNPM="npx -y pnpm@12.4.2"

$PNPM install --frozen-lockfile
$PNPM -r --filter './packages/**' run build
$PNPM exec biome ci .
$PNPM -r run typecheck
$PNPM -r --filter './packages/**' run check:package
$PNPM exec vitest run
