#!/usr/bin/env bash
# `npm run up`: the whole pipeline on this machine, from nothing.
# Bootstraps node 24, pnpm and dependencies, starts the native stack, then runs every service under
# a small supervisor (scripts/services.ts) until Ctrl-C / SIGTERM, which stops them gracefully.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/tools-path.sh"
bash infra/stack.sh up
exec node scripts/services.ts "$@"
