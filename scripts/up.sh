#!/usr/bin/env bash
# `npm run up`: the whole pipeline on this machine, from nothing.
# Bootstraps node 24, pnpm and dependencies, starts the native stack, then hands this process over to
# the supervisor (scripts/services.ts) with exec, so that a signal sent to `npm run up` reaches it:
# Ctrl-C / SIGTERM stop every service gracefully. The stack (Kafka, Elasticsearch, PostgreSQL, Redis)
# keeps running for the next run; `npm run down` stops it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/tools-path.sh"
bash infra/stack.sh up
exec node scripts/services.ts "$@"
