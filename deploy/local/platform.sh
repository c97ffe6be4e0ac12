#!/usr/bin/env bash
# The whole platform on this machine without Docker: Kafka, Postgres, the four services, the web app.
# Usage: platform.sh up|down|status [--json]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PORT_BASE="${SERVICE_PORT_BASE:-8000}"
SERVICES=(directory:$((PORT_BASE + 1)) contacts:$((PORT_BASE + 2)) importer:$((PORT_BASE + 3)) invitations:$((PORT_BASE + 4)) web:$PORT_BASE)
RUN_DIR="$STATE_DIR/run"
mkdir -p "$RUN_DIR"
# One broker or three: `up` records KAFKA_BROKERS, so that `down` and `status` act on what runs.
KAFKA_BROKERS_FILE="$RUN_DIR/kafka-brokers"
if [[ ${1:-} != up && -z ${KAFKA_BROKERS:-} ]]; then
  KAFKA_BROKERS=$(cat "$KAFKA_BROKERS_FILE" 2>/dev/null || echo 1)
fi
export KAFKA_BROKERS="${KAFKA_BROKERS:-1}"
# Topics as the local Kafka can hold them (docs/kafka.md): one copy on a single broker, three
# (two in sync for an acknowledgement) on the three-node cluster (KAFKA_BROKERS=3)
if [[ ${KAFKA_BROKERS:-1} == 3 ]]; then
  KAFKA_BOOTSTRAP="127.0.0.1:$KAFKA_PORT,127.0.0.1:$((KAFKA_PORT + 1)),127.0.0.1:$((KAFKA_PORT + 2))"
  TOPIC_REPLICAS="${KAFKA_TOPIC_REPLICATION_FACTOR:-3}" TOPIC_MIN_ISR="${KAFKA_TOPIC_MIN_INSYNC_REPLICAS:-2}"
else
  KAFKA_BOOTSTRAP="127.0.0.1:$KAFKA_PORT"
  TOPIC_REPLICAS="${KAFKA_TOPIC_REPLICATION_FACTOR:-1}" TOPIC_MIN_ISR="${KAFKA_TOPIC_MIN_INSYNC_REPLICAS:-1}"
fi

# A database per service: `PG_CLUSTERS=2` (make up PG_CLUSTERS=2) keeps the directory's and the
# invitations' schemas on a second Postgres cluster (127.0.0.1:PG_PORT+1, data and log named
# postgres-2); contacts, importer and the web app stay on the first. `up` records the choice
# for `status`. docs/operations.md, "A database per service".
SECOND_CLUSTER_SERVICES=(directory invitations)
PG_SECOND_PORT="${PG_SECOND_PORT:-$((PG_PORT + 1))}"
PG_CLUSTERS_FILE="$RUN_DIR/pg-clusters"

pg_clusters() { cat "$PG_CLUSTERS_FILE" 2>/dev/null || echo 1; }

second_postgres() {
  local services; services=$(IFS=,; echo "${SECOND_CLUSTER_SERVICES[*]}")
  PG_CLUSTER_NAME=postgres-2 PG_PORT="$PG_SECOND_PORT" PG_SERVICES="$services" \
    "$REPO_ROOT/deploy/local/postgres.sh" "$@"
}

# pg_port_of NAME: the port of the cluster holding service NAME's schema.
pg_port_of() {
  if [[ $(pg_clusters) == 2 && " ${SECOND_CLUSTER_SERVICES[*]} " == *" $1 "* ]]; then
    echo "$PG_SECOND_PORT"
  else
    echo "$PG_PORT"
  fi
}

start_service() {
  local name=${1%%:*} port=${1##*:}
  local pid_file="$RUN_DIR/$name.pid"
  if pid_alive "$pid_file"; then log "$name already running"; return 0; fi
  log "starting $name on 127.0.0.1:$port (logs: $LOG_DIR/$name.log)"
  DATABASE_URL="postgresql://${name}_svc:${name}_svc@127.0.0.1:$(pg_port_of "$name")/$PG_DATABASE" \
  DB_SCHEMA="$name" HTTP_PORT="$port" LOG_FORMAT=json DEV_MESSAGES_DIR="$STATE_DIR/messages" \
  INVITE_LINK_BASE="http://127.0.0.1:$PORT_BASE" \
  SMS_STATUS_CALLBACK_URL="http://127.0.0.1:$((PORT_BASE + 4))/v1/sms/status" \
  CONTACTS_DIRECTORY_URL="http://127.0.0.1:$((PORT_BASE + 1))" CONTACTS_CONTACTS_URL="http://127.0.0.1:$((PORT_BASE + 2))" \
  CONTACTS_IMPORTER_URL="http://127.0.0.1:$((PORT_BASE + 3))" CONTACTS_INVITATIONS_URL="http://127.0.0.1:$((PORT_BASE + 4))" \
  JWT_JWKS_URL="http://127.0.0.1:$((PORT_BASE + 1))/.well-known/jwks.json" \
  KAFKA_BOOTSTRAP_SERVERS="$KAFKA_BOOTSTRAP" \
  KAFKA_TOPIC_REPLICATION_FACTOR="$TOPIC_REPLICAS" KAFKA_TOPIC_MIN_INSYNC_REPLICAS="$TOPIC_MIN_ISR" \
    nohup "$REPO_ROOT/.venv/bin/$name-service" >>"$LOG_DIR/$name.log" 2>&1 &
  echo $! >"$pid_file"
}

# Ready when /ready says so 15 times in a row over 3 s: with HTTP_WORKERS > 1 (the directory
# and contacts default to 2) each answer comes from one worker, and a worker still joining
# Kafka says 503 while the other is ready.
wait_ready() {
  local name=${1%%:*} port=${1##*:} deadline=$(( $(date +%s) + 90 )) streak=0
  while (( streak < 15 )); do
    if curl -fsS "http://127.0.0.1:$port/ready" >/dev/null 2>&1; then
      streak=$((streak + 1)); sleep 0.2; continue
    fi
    streak=0
    if ! pid_alive "$RUN_DIR/$name.pid"; then log "$name exited; see $LOG_DIR/$name.log"; tail -20 "$LOG_DIR/$name.log" >&2; return 1; fi
    (( $(date +%s) < deadline )) || { log "$name not ready after 90 s; see $LOG_DIR/$name.log"; return 1; }
    sleep 0.5
  done
}

stop_service() {
  local name=${1%%:*} pid_file="$RUN_DIR/${1%%:*}.pid"
  if pid_alive "$pid_file"; then
    local pid; pid=$(cat "$pid_file"); kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
    log "$name stopped"
  fi
  rm -f "$pid_file"
}

up() {
  "$REPO_ROOT/scripts/setup.sh"
  "$REPO_ROOT/deploy/local/kafka.sh" start
  echo "$KAFKA_BROKERS" >"$KAFKA_BROKERS_FILE"
  "$REPO_ROOT/deploy/local/postgres.sh" start
  case "${PG_CLUSTERS:-1}" in
    1) ;;
    2) second_postgres start ;;
    *) log "PG_CLUSTERS must be 1 or 2, not '$PG_CLUSTERS'"; exit 2 ;;
  esac
  echo "${PG_CLUSTERS:-1}" >"$PG_CLUSTERS_FILE"
  for s in "${SERVICES[@]}"; do start_service "$s"; done
  for s in "${SERVICES[@]}"; do wait_ready "$s"; done
  local second_cluster_line=""
  [[ $(pg_clusters) == 1 ]] || second_cluster_line="  Postgres 2   postgresql://postgres:$PG_SUPERUSER_PASSWORD@127.0.0.1:$PG_SECOND_PORT/$PG_DATABASE (${SECOND_CLUSTER_SERVICES[*]})
"
  cat <<MSG

The contacts platform is up. Open the web app: http://127.0.0.1:$PORT_BASE
  (sign up with any mobile number: the SMS code is the last line of
  $STATE_DIR/messages/messages.jsonl on this machine)
  directory    http://127.0.0.1:$((PORT_BASE + 1))   (each service: OpenAPI at /docs and /openapi.json)
  contacts     http://127.0.0.1:$((PORT_BASE + 2))
  importer     http://127.0.0.1:$((PORT_BASE + 3))
  invitations  http://127.0.0.1:$((PORT_BASE + 4))
  Kafka        $KAFKA_BOOTSTRAP
  Postgres     postgresql://postgres:$PG_SUPERUSER_PASSWORD@127.0.0.1:$PG_PORT/$PG_DATABASE
${second_cluster_line}Sign in: uv run contacts login --phone +44...   (the code is the last line of
  $STATE_DIR/messages/messages.jsonl; README.md: "Five minutes with the command-line tool")
Logs: $LOG_DIR    Development token: make token USER_ID=<user-id>    Stop: make down
MSG
}

down() {
  for s in "${SERVICES[@]}"; do stop_service "$s"; done
  "$REPO_ROOT/deploy/local/postgres.sh" stop
  second_postgres stop
  "$REPO_ROOT/deploy/local/kafka.sh" stop
  log "platform stopped"
}

# status [--json]: services up/ready, outbox backlogs, consumer lag, dead letters (contacts-status),
# then the Kafka and Postgres processes (not with --json). Exits 1 unless all is healthy.
status() {
  local rc=0 args=()
  for s in "${SERVICES[@]}"; do
    args+=(--service "${s%%:*}=http://127.0.0.1:${s##*:}")
    [[ ${s%%:*} == web ]] || args+=(--schema "${s%%:*}")  # the web app sends no events: no outbox
    args+=(--database "${s%%:*}=postgresql://postgres:$PG_SUPERUSER_PASSWORD@127.0.0.1:$(pg_port_of "${s%%:*}")/$PG_DATABASE")
  done
  STATUS_DATABASE_URL="postgresql://postgres:$PG_SUPERUSER_PASSWORD@127.0.0.1:$PG_PORT/$PG_DATABASE" \
  KAFKA_BOOTSTRAP_SERVERS="$KAFKA_BOOTSTRAP" \
    "$REPO_ROOT/.venv/bin/contacts-status" "${args[@]}" "$@" || rc=$?
  if [[ " $* " != *" --json "* ]]; then
    echo
    "$REPO_ROOT/deploy/local/kafka.sh" status || true
    "$REPO_ROOT/deploy/local/postgres.sh" status || true
    [[ $(pg_clusters) == 2 ]] && { second_postgres status || true; }
  fi
  return "$rc"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) shift; status "$@" ;;
  *) echo "usage: $0 up|down|status [--json]" >&2; exit 2 ;;
esac
