#!/usr/bin/env bash
# Installs everything the platform and its tests need on a fresh machine (idempotent):
# uv, the Python workspace (locked), the Kafka broker jars. Java 17, Maven, the PostgreSQL 15
# server binaries and Chromium (for the browser tests) come from Debian's packages when missing.
# (helm, for the chart's tests only, is built by scripts/test.sh: scripts/install_helm.sh.)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

need_apt=()
command -v java >/dev/null || need_apt+=(openjdk-17-jre-headless)
command -v mvn >/dev/null || need_apt+=(maven)
[[ -x /usr/lib/postgresql/15/bin/postgres ]] || need_apt+=(postgresql-15)
command -v curl >/dev/null || need_apt+=(curl)
[[ -x /usr/bin/chromium ]] || need_apt+=(chromium)  # the browser tests (Playwright drives it)
if (( ${#need_apt[@]} )); then
  echo "installing ${need_apt[*]} from Debian's packages" >&2
  apt-get update -qq && apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! command -v uv >/dev/null; then
  python3 -m pip install --quiet uv
fi
uv sync --frozen --quiet
deploy/local/kafka.sh fetch
