#!/usr/bin/env bash
# `npm run emulator -- [--port 8042] [--dcr rule.json] …`: starts the local Logs Ingestion
# emulator's CLI from the repository, installing and building it first when needed. It prints
# the endpoint, the web console's address (open it in a browser), the rule ids and streams, and
# the AZURE_LOGS_INGESTION_* lines to export.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/pnpm ]; then
  npx -y pnpm@12.4.2 install --frozen-lockfile >&2
fi
if [ ! -f packages/emulator/dist/cli.mjs ]; then
  node_modules/.bin/pnpm --filter azure-ingestion-emulator run build >&2
fi
exec node packages/emulator/dist/cli.mjs "$@"
