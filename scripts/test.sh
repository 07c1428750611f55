#!/usr/bin/env bash
# `npm test`: every check and every test, from a fresh machine.
# Bootstraps node 24, pnpm and dependencies, starts the native stack (Kafka, Elasticsearch,
# PostgreSQL, Redis), then: formatting, lint, typecheck, and all tests (unit, integration, e2e)
# with node's test runner, whose closing summary CI reads.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/tools-path.sh"

bash infra/stack.sh up

echo '== format' && pnpm run -s format:check
echo '== lint' && pnpm run -s lint
echo '== typecheck' && pnpm run -s typecheck
echo '== tests'
# --test-force-exit: a test file that leaks a handle after a failure must not hang CI.
exec node --test --test-reporter=spec --test-timeout=300000 --test-force-exit \
  "packages/*/test/**/*.test.ts" "services/*/test/**/*.test.ts" "tests/**/*.test.ts"
