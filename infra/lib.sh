#!/usr/bin/env bash
# Shared helpers for the native local stack. Sourced by infra/*/<part>.sh; never run directly.
#
# Layout (all git-ignored, under the repository's .local/):
#   .local/cache/<part>/   downloaded artifacts, reused across runs and resets
#   .local/data/<part>/    the part's data directory (removed by `reset`)
#   .local/logs/<part>.log what the part printed
#   .local/run/<part>.pid  pid of a part this repo started
# TIDELINE_LOCAL moves all of it (a second, throwaway stack for fault tests); TIDELINE_CACHE moves
# only the downloads, so such a stack reuses them.
set -euo pipefail

TIDELINE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TIDELINE_LOCAL="${TIDELINE_LOCAL:-$TIDELINE_ROOT/.local}"
CACHE_DIR="${TIDELINE_CACHE:-$TIDELINE_LOCAL/cache}"
DATA_DIR="$TIDELINE_LOCAL/data"
LOG_DIR="$TIDELINE_LOCAL/logs"
RUN_DIR="$TIDELINE_LOCAL/run"
mkdir -p "$CACHE_DIR" "$DATA_DIR" "$LOG_DIR" "$RUN_DIR"

log() { printf '[%s] %s\n' "${PART:-infra}" "$*" >&2; }
die() { printf '[%s] error: %s\n' "${PART:-infra}" "$*" >&2; exit 1; }

pid_file() { echo "$RUN_DIR/$1.pid"; }

# Prints the pid recorded for a part when that process is still alive.
running_pid() {
  local file pid
  file="$(pid_file "$1")"
  [[ -f "$file" ]] || return 1
  pid="$(cat "$file")"
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then echo "$pid"; return 0; fi
  rm -f "$file"
  return 1
}

# Waits up to $2 seconds for the command "$3..." to succeed; on timeout fails with the log path.
wait_until() {
  local part="$1" timeout_s="$2"; shift 2
  local deadline=$((SECONDS + timeout_s))
  until "$@" >/dev/null 2>&1; do
    if (( SECONDS >= deadline )); then
      die "$part did not answer within ${timeout_s}s; see $LOG_DIR/$part.log"
    fi
    sleep 1
  done
}

# Stops a process this repo started: SIGTERM, then SIGKILL after $2 seconds.
stop_pid() {
  local part="$1" grace_s="${2:-30}" pid
  pid="$(running_pid "$part")" || { log "not running"; return 0; }
  log "stopping pid $pid"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + grace_s))
  while kill -0 "$pid" 2>/dev/null; do
    if (( SECONDS >= deadline )); then log "forcing pid $pid"; kill -KILL "$pid" 2>/dev/null || true; break; fi
    sleep 0.5
  done
  rm -f "$(pid_file "$part")"
}

# Copies the runtime classpath declared by a pom.xml into a cache folder once.
# A marker file records the pom's checksum so an edited pom refreshes the cache.
maven_classpath() {
  local pom="$1" dest="$2" sum
  sum="$(sha256sum "$pom" | cut -d' ' -f1)"
  if [[ -f "$dest/.pom-sha256" && "$(cat "$dest/.pom-sha256")" == "$sum" ]]; then return 0; fi
  command -v mvn >/dev/null || die "mvn is required to fetch artifacts from Maven Central"
  log "fetching artifacts from Maven Central into $dest (once)"
  rm -rf "$dest" && mkdir -p "$dest"
  mvn -q -B -f "$pom" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$dest" >"$LOG_DIR/${PART:-maven}-fetch.log" 2>&1 \
    || die "maven could not fetch the artifacts; see $LOG_DIR/${PART:-maven}-fetch.log"
  echo "$sum" >"$dest/.pom-sha256"
}

# Starts a detached background process with its output in the part's log and records its pid.
spawn() {
  local part="$1"; shift
  nohup setsid "$@" >>"$LOG_DIR/$part.log" 2>&1 </dev/null &
  echo $! >"$(pid_file "$part")"
}
