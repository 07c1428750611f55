#!/usr/bin/env bash
# Local Elasticsearch 8 (single node, HTTP on 127.0.0.1, no security) for dev and integration tests.
#
#   infra/elasticsearch/elasticsearch.sh start|stop|reset|status
#
# Environment: ES_PORT (9200), ES_TRANSPORT_PORT (9300), ES_HEAP (768m), ES_JAVA_OPTS (extra JVM flags).
#
# Runs from Maven Central jars (see pom.xml): the server and Netty4 transport, started in-process by the
# launcher in src/ rather than by the distribution's bin/elasticsearch, which this machine cannot download.
PART=elasticsearch
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

HERE="$TIDELINE_ROOT/infra/elasticsearch"
ES_CACHE="$CACHE_DIR/elasticsearch"
ES_DATA="$DATA_DIR/elasticsearch"
ES_LOG="$LOG_DIR/elasticsearch.log"
ES_PORT="${ES_PORT:-9200}"
ES_TRANSPORT_PORT="${ES_TRANSPORT_PORT:-9300}"
ES_HEAP="${ES_HEAP:-768m}"
BASE_URL="http://127.0.0.1:$ES_PORT"

# Fetches the jars once and (re)builds the launcher only when its pom or sources change.
prepare() {
  command -v java >/dev/null || die "java (17+) is required"
  maven_classpath "$HERE/pom.xml" "$ES_CACHE/lib"
  local sum
  sum="$(cat "$HERE/pom.xml" $(find "$HERE/src" -name '*.java' | sort) | sha256sum | cut -d' ' -f1)"
  if [[ ! -f "$ES_CACHE/build/tideline-es-launcher.jar" || "$(cat "$ES_CACHE/build/.src-sha256" 2>/dev/null)" != "$sum" ]]; then
    log "building the launcher (once)"
    mvn -q -B -f "$HERE/pom.xml" package -Dlauncher.build.dir="$ES_CACHE/build" >"$LOG_DIR/elasticsearch-build.log" 2>&1 \
      || die "launcher build failed; see $LOG_DIR/elasticsearch-build.log"
    echo "$sum" >"$ES_CACHE/build/.src-sha256"
  fi
  # path.home/config is a copy so the node's file watcher and any writes stay out of the source tree.
  mkdir -p "$ES_CACHE/home/config" "$ES_CACHE/tmp" "$ES_DATA"
  cp "$HERE"/config/* "$ES_CACHE/home/config/"
}

healthy() {
  curl -sf --max-time 5 "$BASE_URL/_cluster/health?wait_for_status=yellow&timeout=2s" >/dev/null
}

# Used while waiting: succeeds once healthy, fails fast if the JVM already died.
# wait_until silences the probe's stderr, so the message goes to fd 3 (the caller's stderr).
started() {
  running_pid "$PART" >/dev/null || die "elasticsearch exited during startup; see $ES_LOG" 2>&3
  healthy
}

start() {
  local pid
  if pid="$(running_pid "$PART")"; then
    log "already running (pid $pid) on $BASE_URL"
    return 0
  fi
  # A node started elsewhere (another checkout, CI beside a dev session) already serves the port.
  if healthy && curl -s --max-time 2 -D - -o /dev/null "$BASE_URL/" | grep -qi '^x-elastic-product: Elasticsearch'; then
    log "an Elasticsearch node already answers on $BASE_URL; using it"
    return 0
  fi
  if curl -s --max-time 2 -o /dev/null "$BASE_URL"; then
    die "port $ES_PORT is already answering but not from a node this repo started; stop it or set ES_PORT"
  fi
  prepare
  log "starting on $BASE_URL (heap $ES_HEAP, log $ES_LOG)"
  printf '\n==== start %s ====\n' "$(date -Is)" >>"$ES_LOG"
  # JVM flags: the subset of the distribution's system options that matters outside its launcher.
  # SPI,COMPAT is the locale setup 8.14 ships with (date parsing differs under CLDR).
  # No -XX:+AlwaysPreTouch, so resident memory grows with use instead of claiming the whole heap.
  # ExitOnOutOfMemoryError stands in for the bootstrap's uncaught-error handler, which is not installed here.
  cd "$ES_CACHE/home" # the JVM drops crash/replay files in its working directory, keep them out of the tree
  # shellcheck disable=SC2086
  spawn "$PART" java \
    -Xms"$ES_HEAP" -Xmx"$ES_HEAP" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -XX:-OmitStackTraceInFastThrow \
    -XX:ErrorFile="$LOG_DIR/elasticsearch-hs_err_pid%p.log" \
    -Xss1m -Djava.awt.headless=true -Dfile.encoding=UTF-8 -Djava.io.tmpdir="$ES_CACHE/tmp" \
    -Djava.locale.providers=SPI,COMPAT -Djna.nosys=true \
    -Dio.netty.noUnsafe=true -Dio.netty.noKeySetOptimization=true -Dio.netty.recycler.maxCapacityPerThread=0 \
    -Dlog4j.shutdownHookEnabled=false -Dlog4j2.disable.jmx=true -Dlog4j2.formatMsgNoLookups=true \
    ${ES_JAVA_OPTS:-} \
    -cp "$ES_CACHE/build/tideline-es-launcher.jar:$ES_CACHE/lib/*" \
    org.elasticsearch.node.TidelineNode "$ES_CACHE/home/config" \
    path.home="$ES_CACHE/home" path.data="$ES_DATA" path.logs="$LOG_DIR" \
    cluster.name=tideline node.name=tideline \
    node.roles=master,data,ingest \
    discovery.type=single-node \
    network.host=127.0.0.1 http.port="$ES_PORT" transport.port="$ES_TRANSPORT_PORT" \
    cluster.routing.allocation.disk.threshold_enabled=false
  # ^ single-node discovery + loopback binding keep the production bootstrap checks (vm.max_map_count, ...)
  #   unenforced; the disk threshold is off so a full dev disk does not make indices read-only.
  wait_until "$PART" 120 started 3>&2
  log "healthy on $BASE_URL (pid $(running_pid "$PART"))"
}

stop() {
  stop_pid "$PART" 30
}

reset() {
  stop
  log "deleting $ES_DATA"
  rm -rf "$ES_DATA"
}

status() {
  local pid
  if ! pid="$(running_pid "$PART")"; then
    echo "elasticsearch: stopped"
    return 1
  fi
  if ! curl -sf --max-time 5 "$BASE_URL/_cluster/health"; then
    echo "elasticsearch: running (pid $pid) but $BASE_URL does not answer; see $ES_LOG"
    return 1
  fi
  echo
  echo "elasticsearch: running (pid $pid) on $BASE_URL"
}

case "${1:-}" in
  start | stop | reset | status) "$1" ;;
  *) echo "usage: $0 start|stop|reset|status" >&2; exit 2 ;;
esac
