#!/usr/bin/env bash
# Installs everything the platform and its tests need on a fresh machine (idempotent):
# uv, the Python workspace (locked), the Kafka broker jars, helm (built with Go, in the
# background meanwhile: it is the longest step on a fresh machine). Java 17, Maven, the PostgreSQL 15
# server binaries and Chromium (for the browser tests) come from Debian's packages when missing.
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

helm_log=$(mktemp)
scripts/install_helm.sh >"$helm_log" 2>&1 &
helm_install=$!

if ! command -v uv >/dev/null; then
  python3 -m pip install --quiet uv
fi
uv sync --frozen --quiet
deploy/local/kafka.sh fetch
if ! wait "$helm_install"; then
  cat "$helm_log" >&2  # not fatal: the chart's tests skip, saying helm is missing
fi
rm -f "$helm_log"
