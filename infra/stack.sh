#!/usr/bin/env bash
# The native local stack: Kafka, Elasticsearch, PostgreSQL, Redis.
# Usage: infra/stack.sh up|down|reset|status [part...]   (parts: kafka elasticsearch postgres redis)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ALL=(postgres redis kafka elasticsearch)

command="${1:-}"; shift || true
parts=("$@"); [[ ${#parts[@]} -gt 0 ]] || parts=("${ALL[@]}")

case "$command" in
  up) for p in "${parts[@]}"; do bash "$HERE/$p/$p.sh" start; done ;;
  down) for ((i = ${#parts[@]} - 1; i >= 0; i--)); do bash "$HERE/${parts[i]}/${parts[i]}.sh" stop; done ;;
  reset) for p in "${parts[@]}"; do bash "$HERE/$p/$p.sh" reset; done ;;
  status)
    failed=0
    for p in "${parts[@]}"; do bash "$HERE/$p/$p.sh" status || failed=1; done
    exit "$failed" ;;
  *) echo "usage: $0 up|down|reset|status [${ALL[*]}]" >&2; exit 2 ;;
esac
