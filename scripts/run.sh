#!/usr/bin/env bash
# Runs a command from the repository root with the repo's pinned node and pnpm first on PATH,
# bootstrapping them if needed:   scripts/run.sh pnpm test
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/tools-path.sh"
exec "$@"
