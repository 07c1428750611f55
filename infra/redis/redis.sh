#!/usr/bin/env bash
# Redis: uses the machine's server when it answers, otherwise starts redis-server itself.
# Environment: REDIS_PORT (6379).
PART=redis
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

PORT="${REDIS_PORT:-6379}"
is_ready() { [[ "$(redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null)" == PONG ]]; }

ensure_installed() {
  command -v redis-server >/dev/null && return 0
  [[ "$(id -u)" == 0 ]] || die "Redis is not installed; install the redis-server package"
  log "installing Redis from Debian's packages"
  apt-get update -qq >>"$LOG_DIR/redis.log" 2>&1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >>"$LOG_DIR/redis.log" 2>&1 \
    || die "apt-get install redis-server failed; see $LOG_DIR/redis.log"
}

start() {
  if is_ready; then log "ready on 127.0.0.1:$PORT"; return 0; fi
  ensure_installed
  log "not answering; starting redis-server on 127.0.0.1:$PORT"
  mkdir -p "$DATA_DIR/redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$PORT" --dir "$DATA_DIR/redis" \
    --pidfile "$RUN_DIR/redis.pid" --logfile "$LOG_DIR/redis.log" --save '' --appendonly no \
    || die "redis-server failed to start; see $LOG_DIR/redis.log"
  wait_until redis 30 is_ready
  log "ready on 127.0.0.1:$PORT"
}

status() {
  if is_ready; then echo "redis: running on 127.0.0.1:$PORT"; return 0; fi
  echo "redis: not answering on 127.0.0.1:$PORT"; return 1
}

case "${1:-}" in
  start) start ;;
  stop) if running_pid redis >/dev/null; then stop_pid redis 10; else log "left running (not started by this repo)"; fi ;;
  reset) start; redis-cli -p "$PORT" flushall >/dev/null; log "flushed" ;;
  status) status ;;
  *) die "usage: $0 start|stop|reset|status" ;;
esac
