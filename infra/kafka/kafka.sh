#!/usr/bin/env bash
# Apache Kafka 3.9 in KRaft combined mode (broker + controller), one node on 127.0.0.1.
# Usage: infra/kafka/kafka.sh start|stop|reset|status
# Environment: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_HEAP (512m).
PART=kafka
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

HERE="$TIDELINE_ROOT/infra/kafka"
LIBS="$CACHE_DIR/kafka/libs"
DATA="$DATA_DIR/kafka"
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
HEAP="${KAFKA_HEAP:-512m}"
BOOTSTRAP="127.0.0.1:$PORT"

write_config() {
  # Replication factors of 1 everywhere so transactions and consumer groups work on one node.
  cat >"$DATA/server.properties" <<CONF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DATA/logs
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
delete.topic.enable=true
log.retention.hours=168
CONF
}

is_ready() { java -cp "$LIBS/*" "$HERE/KafkaReady.java" "$BOOTSTRAP"; }

# Topics the stack provides: `monitoring`, where the original geotechnical producer publishes (and
# which ingest reads by default). Tideline's own topics are created by the services that write them.
STACK_TOPICS=(monitoring:1)
ensure_topics() {
  local created
  created="$(java -cp "$LIBS/*" -Dlog4j.configuration="file:$HERE/log4j-tools.properties" \
    "$HERE/EnsureTopics.java" "$BOOTSTRAP" "${STACK_TOPICS[@]}" 2>>"$LOG_DIR/kafka.log")" \
    || die "could not create ${STACK_TOPICS[*]}; see $LOG_DIR/kafka.log"
  [[ -z "$created" ]] || log "$created"
}

start() {
  if pid="$(running_pid kafka)"; then log "already running (pid $pid) on $BOOTSTRAP"; ensure_topics; return 0; fi
  command -v java >/dev/null || die "java (17+) is required"
  maven_classpath "$HERE/pom.xml" "$LIBS"
  # A broker started elsewhere (another checkout, CI beside a dev session) already serves the port.
  if is_ready >/dev/null 2>&1; then log "a broker already answers on $BOOTSTRAP; using it"; ensure_topics; return 0; fi
  # Something holds the port but did not answer in time (a busy broker): wait for it rather than
  # format and start a second broker that cannot bind.
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    log "port $PORT is taken by a process that is not answering yet; waiting for it"
    wait_until kafka 90 is_ready
    log "a broker answers on $BOOTSTRAP; using it"
    ensure_topics
    return 0
  fi
  maven_classpath "$HERE/pom.xml" "$LIBS"
  mkdir -p "$DATA"
  write_config
  if [[ ! -f "$DATA/logs/meta.properties" ]]; then
    local cluster_id
    # The tools' own log4j settings (warnings only, to the log): their INFO lines are not for a terminal.
    cluster_id="$(java -cp "$LIBS/*" -Dlog4j.configuration="file:$HERE/log4j-tools.properties" kafka.tools.StorageTool random-uuid 2>>"$LOG_DIR/kafka.log")"
    log "formatting storage (cluster $cluster_id)"
    java -cp "$LIBS/*" -Dlog4j.configuration="file:$HERE/log4j.properties" kafka.tools.StorageTool \
      format -t "$cluster_id" -c "$DATA/server.properties" >>"$LOG_DIR/kafka.log" 2>&1 \
      || die "storage format failed; see $LOG_DIR/kafka.log"
  fi
  log "starting on $BOOTSTRAP (log: $LOG_DIR/kafka.log)"
  spawn kafka java "-Xms$HEAP" "-Xmx$HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -Djava.awt.headless=true -Dlog4j.configuration="file:$HERE/log4j.properties" \
    -cp "$LIBS/*" kafka.Kafka "$DATA/server.properties"
  wait_until kafka 90 is_ready
  ensure_topics
  log "ready on $BOOTSTRAP"
}

status() {
  if pid="$(running_pid kafka)"; then
    if is_ready >/dev/null 2>&1; then echo "kafka: running (pid $pid) on $BOOTSTRAP"; return 0; fi
    echo "kafka: started (pid $pid) but not answering on $BOOTSTRAP"; return 1
  fi
  echo "kafka: stopped"; return 1
}

case "${1:-}" in
  start) start ;;
  stop) stop_pid kafka 30 ;;
  reset) stop_pid kafka 30; rm -rf "$DATA"; log "data removed" ;;
  status) status ;;
  *) die "usage: $0 start|stop|reset|status" ;;
esac
