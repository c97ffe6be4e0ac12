#!/usr/bin/env bash
# A three-node Apache Kafka (KRaft) cluster on this machine: each node is a broker and a
# controller, the three controllers one quorum (static `controller.quorum.voters`), internal
# topics with 3 copies and min ISR 2, so that the cluster survives the loss of any one node.
# Ports: clients KAFKA_PORT, +1, +2; controllers KAFKA_PORT+3, +4, +5. Data under
# $CONTACTS_STATE_DIR/kafka/node-N, logs in $LOG_DIR/kafka-N.log.
# Usage: kafka-cluster.sh fetch|start|stop|kill|status|bootstrap|quorum
#        kafka-cluster.sh start-node|stop-node|kill-node N   (the fault tests' handles)
source "$(dirname "${BASH_SOURCE[0]}")/kafka.sh"  # fetch, new_cluster_id, stop_with

NODES=(1 2 3)
# shellcheck disable=SC2206
JAVA=(java -Xmx512m "${KAFKA_JVM[@]}" ${KAFKA_JVM_OPTS:-}  # kafka.sh says why
  -Dlog4j2.configurationFile="$REPO_ROOT/deploy/local/kafka/log4j2.properties"
  -cp "$KAFKA_LIBS/*")

client_port() { echo $((KAFKA_PORT + $1 - 1)); }
controller_port() { echo $((KAFKA_PORT + 2 + $1)); }
node_dir() { echo "$KAFKA_DIR/node-$1"; }
node_log() { echo "$LOG_DIR/kafka-$1.log"; }

bootstrap() {
  local servers=() n
  for n in "${NODES[@]}"; do servers+=("127.0.0.1:$(client_port "$n")"); done
  (IFS=,; echo "${servers[*]}")
}

voters() {
  local voters=() n
  for n in "${NODES[@]}"; do voters+=("$n@127.0.0.1:$(controller_port "$n")"); done
  (IFS=,; echo "${voters[*]}")
}

# write_node_config N: the single node's configuration (kafka.sh's write_config) with node N's
# ports and directory, the three voters, and 3 copies (min ISR 2) of the internal topics.
write_node_config() {
  local n=$1 dir client controller
  dir=$(node_dir "$n") client=$(client_port "$n") controller=$(controller_port "$n")
  (KAFKA_DIR=$dir PROPS=$dir/server.properties KAFKA_PORT=$client \
    KAFKA_CONTROLLER_PORT=$controller write_config)
  sed -i -e "s/^node.id=1$/node.id=$n/" \
    -e "s/^controller.quorum.bootstrap.servers=.*/controller.quorum.voters=$(voters)/" \
    -e 's/replication.factor=1$/replication.factor=3/' -e 's/min.isr=1$/min.isr=2/' \
    "$dir/server.properties"
  printf 'default.replication.factor=3\nmin.insync.replicas=2\n' >>"$dir/server.properties"
}

# format_all: one cluster id for the three nodes' storage, on first start only.
format_all() {
  local id n dir
  [[ -f $(node_dir 1)/data/meta.properties ]] && return 0
  id=$(new_cluster_id)
  for n in "${NODES[@]}"; do
    dir=$(node_dir "$n")
    "${JAVA[@]}" kafka.tools.StorageTool format -t "$id" -c "$dir/server.properties" \
      >"$LOG_DIR/kafka-format-$n.log" 2>&1 \
      || { log "formatting node $n failed:"; tail -20 "$LOG_DIR/kafka-format-$n.log" >&2; exit 1; }
  done
}

launch_node() {
  local n=$1 pid_file; pid_file="$(node_dir "$1")/kafka.pid"
  if pid_alive "$pid_file"; then return 0; fi
  nohup "${JAVA[@]}" kafka.Kafka "$(node_dir "$n")/server.properties" >>"$(node_log "$n")" 2>&1 &
  echo $! >"$pid_file"
}

# wait_node N: until node N serves its client port; fails if it exits or after KAFKA_START_SECONDS.
wait_node() {
  local n=$1 port pid deadline=$(( $(date +%s) + ${KAFKA_START_SECONDS:-180} ))
  port=$(client_port "$n"); pid=$(cat "$(node_dir "$n")/kafka.pid")
  while (( $(date +%s) < deadline )); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      log "kafka node $n exited before opening 127.0.0.1:$port (log: $(node_log "$n"))"
      tail -30 "$(node_log "$n")" >&2; return 1
    fi
    sleep 0.2
  done
  log "kafka node $n did not open 127.0.0.1:$port within ${KAFKA_START_SECONDS:-180} s"; return 1
}

start() {
  fetch
  local n
  for n in "${NODES[@]}"; do write_node_config "$n"; done
  format_all
  log "starting the 3-node kafka cluster on $(bootstrap) (logs: $LOG_DIR/kafka-N.log)"
  for n in "${NODES[@]}"; do launch_node "$n"; done  # together: each waits for a quorum
  for n in "${NODES[@]}"; do wait_node "$n" || { stop_all KILL; exit 1; }; done
  log "kafka cluster ready"
}

start_node() {
  write_node_config "$1"
  launch_node "$1"
  wait_node "$1" || exit 1
  log "kafka node $1 ready on 127.0.0.1:$(client_port "$1")"
}

stop_node() {
  PID_FILE="$(node_dir "$2")/kafka.pid" stop_with "$1"
}

stop_all() {
  local n
  for n in "${NODES[@]}"; do stop_node "$1" "$n" & done
  wait
}

status() {
  local n rc=0
  for n in "${NODES[@]}"; do
    if pid_alive "$(node_dir "$n")/kafka.pid"; then
      echo "kafka node $n running on 127.0.0.1:$(client_port "$n") (controller $(controller_port "$n"))"
    else
      echo "kafka node $n stopped"; rc=1
    fi
  done
  return "$rc"
}

# quorum: the controllers' quorum as Kafka's MetadataQuorumCommand describes it (LeaderId: the
# active controller's node id; each voter's lag), asked of whichever controllers answer.
quorum() {
  local controllers=() n
  for n in "${NODES[@]}"; do controllers+=("127.0.0.1:$(controller_port "$n")"); done
  java -Xmx256m -Dlog4j2.configurationFile="$REPO_ROOT/deploy/local/kafka/tools-log4j2.properties" \
    -cp "$KAFKA_LIBS/*" org.apache.kafka.tools.MetadataQuorumCommand \
    --bootstrap-controller "$(IFS=,; echo "${controllers[*]}")" describe --status
}

node_arg() {
  [[ ${1:-} =~ ^[123]$ ]] || { echo "usage: $0 ${2}-node 1|2|3" >&2; exit 2; }
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop_all TERM ;;
  kill) stop_all KILL ;;
  status) status ;;
  bootstrap) bootstrap ;;
  quorum) fetch_tools; quorum ;;
  start-node) node_arg "${2:-}" start; start_node "$2" ;;
  stop-node) node_arg "${2:-}" stop; stop_node TERM "$2" ;;
  kill-node) node_arg "${2:-}" kill; stop_node KILL "$2" ;;
  *) echo "usage: $0 fetch|start|stop|kill|status|bootstrap|quorum|start-node N|stop-node N|kill-node N" >&2; exit 2 ;;
esac
