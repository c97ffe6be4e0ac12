#!/usr/bin/env bash
# Single-node Apache Kafka (KRaft) from Maven Central jars; KAFKA_BROKERS=3: the three-node
# cluster of kafka-cluster.sh (which sources this file for its functions).
# Usage: kafka.sh fetch|start|stop|kill|status
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PID_FILE="$KAFKA_DIR/kafka.pid"
PROPS="$KAFKA_DIR/server.properties"

fetch() {
  if ! compgen -G "$KAFKA_LIBS/kafka_2.13-*.jar" >/dev/null; then
    log "fetching Kafka $KAFKA_VERSION jars from Maven Central into $KAFKA_LIBS"
    mvn -q -B -f "$REPO_ROOT/deploy/local/kafka/pom.xml" dependency:copy-dependencies \
      -Dkafka.version="$KAFKA_VERSION" -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIBS"
  fi
  # only `quorum` needs the tools: a broker still starts from a cache without them, offline
  fetch_tools || log "kafka-tools $KAFKA_VERSION not fetched (kafka-cluster.sh quorum needs it)"
}

# fetch_tools: the jar of Kafka's command-line tools alone (kafka-cluster.sh quorum), its
# dependencies being the broker's; one new file, so a cache in use by running brokers can take
# it (copy-dependencies would rewrite the jars they have open).
fetch_tools() {
  if [[ -f $KAFKA_LIBS/kafka-tools-$KAFKA_VERSION.jar ]]; then return 0; fi
  mvn -q -B -f "$REPO_ROOT/deploy/local/kafka/pom.xml" dependency:copy \
    -Dartifact="org.apache.kafka:kafka-tools:$KAFKA_VERSION" \
    -DoutputDirectory="$KAFKA_LIBS"
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

# The broker's JIT stops at C1 (TieredStopAtLevel=1): a broker started here (a developer's,
# a test's, a benchmark's) spent about as much CPU compiling its hot code with C2 in its first
# minutes as serving requests, on the platform's two cores (docs/architecture.md, "Running
# without Docker"). KAFKA_JVM_OPTS adds options after these (word-split), e.g.
# KAFKA_JVM_OPTS=-XX:TieredStopAtLevel=4 for C2 again.
KAFKA_JVM=(-Xms256m -XX:+UseG1GC -XX:TieredStopAtLevel=1)
# shellcheck disable=SC2206
JAVA=(java -Xmx768m "${KAFKA_JVM[@]}" ${KAFKA_JVM_OPTS:-}
  -Dlog4j2.configurationFile="$REPO_ROOT/deploy/local/kafka/log4j2.properties"
  -cp "$KAFKA_LIBS/*")

# A cluster id as Kafka makes them: 16 random bytes in URL-safe base64, unpadded (22 chars),
# not starting with "-" (which would read as an option).
new_cluster_id() {
  local id="-"
  while [[ $id == -* ]]; do id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'); done
  echo "$id"
}

# launch: start the broker in the background; succeed once it serves its port. Fails at once
# if the JVM exits first (its log says why), or after KAFKA_START_SECONDS (default 180), with
# the reason in $launch_failure.
launch_failure=""
launch() {
  nohup "${JAVA[@]}" kafka.Kafka "$PROPS" >>"$LOG_DIR/kafka.log" 2>&1 &
  local pid=$! status deadline=$(( $(date +%s) + ${KAFKA_START_SECONDS:-180} ))
  echo "$pid" >"$PID_FILE"
  while (( $(date +%s) < deadline )); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$KAFKA_PORT") 2>/dev/null; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid" && status=0 || status=$?
      launch_failure="kafka exited with status $status before opening 127.0.0.1:$KAFKA_PORT"
      return 1
    fi
    sleep 0.2
  done
  launch_failure="kafka did not open 127.0.0.1:$KAFKA_PORT within ${KAFKA_START_SECONDS:-180} s"
  return 1
}

# show_log: the end of the broker's log, then its first errors (which the end may not reach).
show_log() {
  tail -30 "$LOG_DIR/kafka.log" >&2
  grep -m 3 -E '^\[[^]]*\] (ERROR|FATAL)' "$LOG_DIR/kafka.log" >&2 || true
}

start() {
  if pid_alive "$PID_FILE"; then log "kafka already running (pid $(cat "$PID_FILE"))"; return 0; fi
  fetch
  write_config
  if [[ ! -f $KAFKA_DIR/data/meta.properties ]]; then
    "${JAVA[@]}" kafka.tools.StorageTool format --standalone -t "$(new_cluster_id)" \
      -c "$PROPS" >"$LOG_DIR/kafka-format.log" 2>&1 \
      || { log "formatting kafka's storage failed:"; tail -20 "$LOG_DIR/kafka-format.log" >&2; exit 1; }
  fi
  log "starting kafka on 127.0.0.1:$KAFKA_PORT (logs: $LOG_DIR/kafka.log)"
  if ! launch; then
    show_log
    stop_with KILL
    log "$launch_failure; starting it once more"
    if ! launch; then
      show_log
      stop_with KILL
      log "$launch_failure, twice (log: $LOG_DIR/kafka.log)"
      exit 1
    fi
  fi
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

[[ ${BASH_SOURCE[0]} != "$0" ]] && return 0  # sourced by kafka-cluster.sh: functions only
if [[ ${KAFKA_BROKERS:-1} != 1 ]]; then exec "$REPO_ROOT/deploy/local/kafka-cluster.sh" "$@"; fi

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop_with TERM ;;
  kill) stop_with KILL ;;
  status) if pid_alive "$PID_FILE"; then echo "kafka running on 127.0.0.1:$KAFKA_PORT"; else echo "kafka stopped"; exit 1; fi ;;
  *) echo "usage: $0 fetch|start|stop|kill|status" >&2; exit 2 ;;
esac
