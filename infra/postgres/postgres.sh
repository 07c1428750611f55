#!/usr/bin/env bash
# PostgreSQL: uses the machine's server (Debian's postgresql package), starting it when it is down,
# and creates the tideline role and database. `reset` drops and recreates the database.
# Environment: PGHOST (127.0.0.1), PGPORT (5432), TIDELINE_PG_DB (tideline), TIDELINE_PG_USER (tideline).
PART=postgres
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

HOST="${PGHOST:-127.0.0.1}"
PORT="${PGPORT:-5432}"
DB="${TIDELINE_PG_DB:-tideline}"
ROLE="${TIDELINE_PG_USER:-tideline}"

# Administrative SQL runs as the postgres superuser over the local socket or TCP (trust auth here).
admin_sql() {
  if id postgres >/dev/null 2>&1 && command -v runuser >/dev/null; then
    runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PORT" -d postgres -tAc "$1"
  else
    psql -X -q -v ON_ERROR_STOP=1 -h "$HOST" -p "$PORT" -U postgres -d postgres -tAc "$1"
  fi
}
is_ready() { psql -X -h "$HOST" -p "$PORT" -U "$ROLE" -d "$DB" -tAc 'select 1' | grep -q 1; }
server_up() { pg_isready -h "$HOST" -p "$PORT" -q; }

ensure_installed() {
  command -v psql >/dev/null && ls /etc/postgresql/*/main >/dev/null 2>&1 && return 0
  [[ "$(id -u)" == 0 ]] || die "PostgreSQL is not installed; install the postgresql package"
  log "installing PostgreSQL from Debian's packages"
  apt-get update -qq >>"$LOG_DIR/postgres.log" 2>&1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >>"$LOG_DIR/postgres.log" 2>&1 \
    || die "apt-get install postgresql failed; see $LOG_DIR/postgres.log"
}

start() {
  ensure_installed
  if ! server_up; then
    log "server down; starting it"
    local version
    version="$(ls /etc/postgresql | sort -V | tail -n 1)"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start >>"$LOG_DIR/postgres.log" 2>&1 \
      || die "could not start PostgreSQL $version; see $LOG_DIR/postgres.log and /var/log/postgresql/"
    wait_until postgres 60 server_up
  fi
  if [[ "$(admin_sql "select 1 from pg_roles where rolname = '$ROLE'")" != 1 ]]; then
    log "creating role $ROLE"
    admin_sql "create role $ROLE login password '$ROLE' createdb"
  fi
  if [[ "$(admin_sql "select 1 from pg_database where datname = '$DB'")" != 1 ]]; then
    log "creating database $DB"
    admin_sql "create database $DB owner $ROLE"
  fi
  wait_until postgres 30 is_ready
  log "ready on $HOST:$PORT (database $DB, role $ROLE)"
}

status() {
  if is_ready >/dev/null 2>&1; then echo "postgres: running on $HOST:$PORT (database $DB)"; return 0; fi
  echo "postgres: not answering on $HOST:$PORT"; return 1
}

case "${1:-}" in
  start) start ;;
  # The server is the machine's, shared with other projects: stop leaves it running.
  stop) log "left running (the machine's server)" ;;
  reset) start; admin_sql "drop database if exists $DB with (force)"; admin_sql "create database $DB owner $ROLE"; log "database $DB recreated" ;;
  status) status ;;
  *) die "usage: $0 start|stop|reset|status" ;;
esac
