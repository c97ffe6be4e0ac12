#!/usr/bin/env bash
# Installs helm (the chart's tests run `helm lint` and `helm template`) into .tools/bin, built
# from source by `go install` through the Go module proxy: idempotent (nothing to do once the
# pinned version is there). A fresh build takes about 4-5 minutes on 2 cores; scripts/setup.sh
# runs this in the background meanwhile the rest of the set-up runs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
HELM_VERSION=v4.3.2
bin="$PWD/.tools/bin"
stamp="$bin/helm.version"
if [[ -x $bin/helm && $(cat "$stamp" 2>/dev/null) == "$HELM_VERSION" ]]; then
  exit 0
fi
if ! command -v go >/dev/null; then
  echo "install_helm.sh: no Go toolchain: helm not installed (the chart's tests will skip)" >&2
  exit 1
fi
mkdir -p "$bin"
GOBIN="$bin" go install "helm.sh/helm/v4/cmd/helm@$HELM_VERSION"
echo "$HELM_VERSION" > "$stamp"
