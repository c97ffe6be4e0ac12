#!/usr/bin/env bash
# Installs helm (the chart's tests run `helm lint` and `helm template`) into .tools/bin, built
# from source by `go install` through the Go module proxy: idempotent (nothing to do once the
# pinned version is there). A fresh build takes 3-5 minutes on 2 cores, so scripts/test.sh runs
# it with --background (log: .tools/helm-build.log, pid: .tools/helm-build.pid) and the chart's
# tests, which come after those of libs/ and services/, wait for it. `make up` needs no helm.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
HELM_VERSION=v4.3.2
tools="$PWD/.tools"
bin="$tools/bin"
stamp="$bin/helm.version"
if [[ -x $bin/helm && $(cat "$stamp" 2>/dev/null) == "$HELM_VERSION" ]]; then
  exit 0
fi
if [[ ${1:-} == --background ]]; then
  mkdir -p "$tools"
  nohup "$0" >"$tools/helm-build.log" 2>&1 &
  echo $! >"$tools/helm-build.pid"
  exit 0
fi
if ! command -v go >/dev/null; then
  echo "install_helm.sh: no Go toolchain: helm not installed (the chart's tests will skip)" >&2
  exit 1
fi
mkdir -p "$bin"
GOBIN="$bin" go install "helm.sh/helm/v4/cmd/helm@$HELM_VERSION"
echo "$HELM_VERSION" >"$stamp"
