#!/usr/bin/env bash
# Single-node Apache Kafka (KRaft) from Maven Central jars.
# Usage: kafka.sh fetch|start|stop|kill|status
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PID_FILE="$KAFKA_DIR/kafka.pid"
PROPS="$KAFKA_DIR/server.properties"

fetch() {
  if compgen -G "$KAFKA_LIBS/kafka_2.13-*.jar" >/dev/null; then return 0; fi
  log "fetching Kafka $KAFKA_VERSION jars from Maven Central into $KAFKA_LIBS"
  mvn -q -B -f "$REPO_ROOT/deploy/local/kafka/pom.xml" dependency:copy-dependencies \
    -Dkafka.version="$KAFKA_VERSION" -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIBS"
}

write_config() {
  mkdir -p "$KAFKA_DIR/data"
  cat >"$PROPS" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DIR/data
num.partitions=4
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=8
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
}

JAVA=(java -Xms256m -Xmx768m -XX:+UseG1GC
  -Dlog4j2.configurationFile="$REPO_ROOT/deploy/local/kafka/log4j2.properties"
  -cp "$KAFKA_LIBS/*")

start() {
  if pid_alive "$PID_FILE"; then log "kafka already running (pid $(cat "$PID_FILE"))"; return 0; fi
  fetch
  write_config
  if [[ ! -f $KAFKA_DIR/data/meta.properties ]]; then
    "${JAVA[@]}" kafka.tools.StorageTool format --standalone -t "$(cat /proc/sys/kernel/random/uuid | tr -d - | head -c 22)" \
      -c "$PROPS" >"$LOG_DIR/kafka-format.log" 2>&1
  fi
  log "starting kafka on 127.0.0.1:$KAFKA_PORT (logs: $LOG_DIR/kafka.log)"
  nohup "${JAVA[@]}" kafka.Kafka "$PROPS" >>"$LOG_DIR/kafka.log" 2>&1 &
  echo $! >"$PID_FILE"
  wait_for_port 127.0.0.1 "$KAFKA_PORT" 90 || { log "kafka did not open its port; see $LOG_DIR/kafka.log"; tail -20 "$LOG_DIR/kafka.log" >&2; exit 1; }
  log "kafka ready"
}

stop_with() {
  local signal=$1
  if pid_alive "$PID_FILE"; then
    local pid; pid=$(cat "$PID_FILE")
    kill "-$signal" "$pid"
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$PID_FILE"
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop_with TERM ;;
  kill) stop_with KILL ;;
  status) if pid_alive "$PID_FILE"; then echo "kafka running on 127.0.0.1:$KAFKA_PORT"; else echo "kafka stopped"; exit 1; fi ;;
  *) echo "usage: $0 fetch|start|stop|kill|status" >&2; exit 2 ;;
esac
