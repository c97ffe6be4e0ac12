#!/usr/bin/env bash
# Private PostgreSQL cluster from the system binaries (the newest installed major: common.sh),
# on its own port and data directory.
# Runs as the `postgres` OS user when invoked as root (initdb refuses root).
# Usage: postgres.sh start|stop|kill|status|bootstrap
# A second cluster: PG_CLUSTER_NAME=postgres-2 PG_PORT=15433 PG_SERVICES=directory,invitations
# PG_SSL_CERT_FILE / PG_SSL_KEY_FILE (optional): serve TLS too (see ssl_options).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

SOCKET_DIR="$PG_DIR/socket"

as_owner() {  # from / : the caller's folder (e.g. root's home) may be closed to postgres
  if [[ $(id -u) -eq 0 ]]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

psql_admin() {
  PGPASSWORD="$PG_SUPERUSER_PASSWORD" "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
    -h 127.0.0.1 -p "$PG_PORT" -U postgres "$@"
}

init_cluster() {
  mkdir -p "$PG_DIR"
  [[ $(id -u) -eq 0 ]] && chown postgres: "$PG_DIR" "$STATE_DIR" "$LOG_DIR"
  local pwfile="$PG_DIR/.pwfile"
  as_owner bash -c "umask 077; printf '%s\n' '$PG_SUPERUSER_PASSWORD' > '$pwfile'"
  as_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --pwfile="$pwfile" \
    --auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$LOG_DIR/$PG_CLUSTER_NAME-initdb.log"
  rm -f "$pwfile"
  as_owner mkdir -p "$SOCKET_DIR"
  cat >>"$PG_DIR/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$SOCKET_DIR'
fsync = on
synchronous_commit = on
CONF
}

# With PG_SSL_CERT_FILE and PG_SSL_KEY_FILE set, serve TLS with that certificate (copied into
# the data directory: Postgres wants its key owned by itself and private). Prints the options.
ssl_options() {
  [[ -n ${PG_SSL_CERT_FILE:-} ]] || return 0
  local owner=(); [[ $(id -u) -eq 0 ]] && owner=(-o postgres -g postgres)
  install -m 600 "${owner[@]}" "$PG_SSL_CERT_FILE" "$PG_DIR/data/server.crt"
  install -m 600 "${owner[@]}" "$PG_SSL_KEY_FILE" "$PG_DIR/data/server.key"
  echo "-c ssl=on -c ssl_cert_file=server.crt -c ssl_key_file=server.key"
}

start() {
  if as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; then
    log "$PG_CLUSTER_NAME already running"; bootstrap; return 0  # a newer bootstrap.sql applies too
  fi
  [[ -f $PG_DIR/data/PG_VERSION ]] || init_cluster
  local ssl; ssl=$(ssl_options)
  log "starting $PG_CLUSTER_NAME on 127.0.0.1:$PG_PORT (logs: $LOG_DIR/$PG_CLUSTER_NAME.log)"
  as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$LOG_DIR/$PG_CLUSTER_NAME.log" -w -t 60 \
    -o "-c port=$PG_PORT -c shared_buffers=$PG_SHARED_BUFFERS -c max_connections=$PG_MAX_CONNECTIONS $ssl" start >/dev/null
  bootstrap
  log "$PG_CLUSTER_NAME ready"
}

# Database, and one schema + one login role per service (idempotent).
bootstrap() {
  psql_admin -d postgres -tc "SELECT 1 FROM pg_database WHERE datname = '$PG_DATABASE'" | grep -q 1 \
    || psql_admin -d postgres -c "CREATE DATABASE $PG_DATABASE"
  PGOPTIONS="-c contacts.services=$PG_SERVICES" \
    psql_admin -d "$PG_DATABASE" -f "$REPO_ROOT/deploy/sql/bootstrap.sql" >/dev/null
}

stop_with() {
  local mode=$1
  as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1 || return 0
  as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m "$mode" -w stop >/dev/null
}

case "${1:-}" in
  start) start ;;
  stop) stop_with fast ;;
  kill) stop_with immediate ;;
  bootstrap) bootstrap ;;
  status) if as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; then
            echo "$PG_CLUSTER_NAME running on 127.0.0.1:$PG_PORT"; else echo "$PG_CLUSTER_NAME stopped"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|kill|status|bootstrap" >&2; exit 2 ;;
esac
