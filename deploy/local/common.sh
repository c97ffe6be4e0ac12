# Shared settings for the local (Docker-free) platform scripts. Sourced, not run.
# Every value can be overridden from the environment, so tests can start a private copy.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE_DIR="${CONTACTS_STATE_DIR:-/var/tmp/contacts-platform}"
CACHE_DIR="${CONTACTS_CACHE_DIR:-$HOME/.cache/contacts-platform}"
LOG_DIR="${CONTACTS_LOG_DIR:-$STATE_DIR/logs}"

KAFKA_VERSION="4.1.1"
KAFKA_PORT="${KAFKA_PORT:-19092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}"
KAFKA_DIR="$STATE_DIR/kafka"
KAFKA_LIBS="$CACHE_DIR/kafka-$KAFKA_VERSION/libs"

PG_PORT="${PG_PORT:-15432}"
# A second cluster (a database per service) gets another name: its own data directory and log.
PG_CLUSTER_NAME="${PG_CLUSTER_NAME:-postgres}"
PG_DIR="$STATE_DIR/$PG_CLUSTER_NAME"
# The services whose schema and role this cluster holds (deploy/sql/bootstrap.sql); empty: all.
PG_SERVICES="${PG_SERVICES:-}"
# The server binaries: those of the cluster's own major version once it exists (a newer one
# cannot open it), otherwise the newest installed (Debian 12: 15, Ubuntu 24.04: 16, Debian 13: 17).
PG_INSTALL_DIR="${PG_INSTALL_DIR:-/usr/lib/postgresql}"  # Debian's and Ubuntu's layout
pg_bin() {
  local made_by; made_by=$(cat "$PG_DIR/data/PG_VERSION" 2>/dev/null) || true
  if [[ -n $made_by && -x $PG_INSTALL_DIR/$made_by/bin/postgres ]]; then
    echo "$PG_INSTALL_DIR/$made_by/bin"
  else
    find "$PG_INSTALL_DIR" -mindepth 2 -maxdepth 2 -name bin 2>/dev/null | sort -V | tail -1
  fi
}
PG_BIN="${PG_BIN:-$(pg_bin)}"
# Postgres' own cache. Pages outside it live in the kernel's page cache, which this kind of
# VM reclaims once idle (DAMON pageout of unmapped file pages), so reading them again goes
# to disk: 1GB keeps a million users' look-up tables and indexes in memory Postgres maps.
PG_SHARED_BUFFERS="${PG_SHARED_BUFFERS:-1GB}"
# The test suite's shared cluster takes more: two pytest workers' services at once.
PG_MAX_CONNECTIONS="${PG_MAX_CONNECTIONS:-300}"
PG_SUPERUSER_PASSWORD="${PG_SUPERUSER_PASSWORD:-postgres}"
PG_DATABASE="${PG_DATABASE:-contacts_platform}"

mkdir -p "$STATE_DIR" "$LOG_DIR"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# pid_alive FILE: the process recorded in FILE is running.
pid_alive() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }
