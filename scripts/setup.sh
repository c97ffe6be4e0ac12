#!/usr/bin/env bash
# Installs everything the platform and its tests need on a fresh machine (idempotent), on
# Debian 12 and 13 and Ubuntu 24.04 (docs/fresh-machines.md): the system packages (Python 3.11+
# with venv, Java 17+, Maven, the PostgreSQL server, curl, git, make, Chromium) from the
# release's own archive when missing, then uv (pinned, from PyPI, into .tools/: the system
# Python is "externally managed" and is left alone), the Python workspace (locked), the Kafka
# broker jars. (helm, for the chart's tests only, is built by scripts/test.sh in the background:
# scripts/install_helm.sh; `make up` needs none.)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/system_packages.sh

UV_VERSION="0.13.9"   # the Dockerfile pins the same one
TOOLS_DIR="$PWD/.tools"

install_missing_system_packages

# uv: the one on PATH if there is one, otherwise the pinned one in a project-local venv.
if ! command -v uv >/dev/null; then
  if [[ ! -x $TOOLS_DIR/bin/uv ]]; then
    echo "installing uv $UV_VERSION into $TOOLS_DIR (a venv of the system Python)" >&2
    python3 -m venv "$TOOLS_DIR/uv-venv"
    "$TOOLS_DIR/uv-venv/bin/pip" install --quiet --disable-pip-version-check "uv==$UV_VERSION"
    mkdir -p "$TOOLS_DIR/bin"
    ln -sf ../uv-venv/bin/uv "$TOOLS_DIR/bin/uv"
  fi
  export PATH="$TOOLS_DIR/bin:$PATH"
fi
# The system's Python serves (3.11 on Debian 12, 3.12 on Ubuntu 24.04, 3.13 on Debian 13): uv
# downloads an interpreter only when the system has none of 3.11+.
uv sync --frozen --quiet
# No Chromium package (Ubuntu's is a snap): the browser tests use the one Playwright downloads.
# `make up` needs no browser: a failed download is a warning.
[[ -x /usr/bin/chromium ]] || uv run playwright install --with-deps chromium \
  || echo "warning: no Chromium for the browser tests (docs/fresh-machines.md)" >&2
deploy/local/kafka.sh fetch
