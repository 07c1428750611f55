#!/usr/bin/env bash
# Runs a command with the repo's pinned node and pnpm first on PATH, bootstrapping them if needed.
#   scripts/run.sh pnpm test
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PATH="$("$ROOT/scripts/bootstrap.sh" --print-path | tail -n 1)"
export PATH
cd "$ROOT"
exec "$@"
