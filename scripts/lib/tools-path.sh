# Sourced by scripts/*.sh: bootstraps node 24, pnpm and dependencies if needed, puts them first on
# PATH and changes to the repository root.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
PATH="$(bash scripts/bootstrap.sh --print-path | tail -n 1)"
export PATH
