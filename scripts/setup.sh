#!/usr/bin/env bash
# Installs everything the platform and its tests need on a fresh machine (idempotent), on
# Debian 12 and 13 and Ubuntu 24.04 (docs/fresh-machines.md): the system packages (Python 3.11+
# with venv, Java 17+, Maven, the PostgreSQL server, curl, git, make, Debian's Chromium) from the
# release's own archive when missing, then uv (pinned, from PyPI, into .tools/: the system
# Python is "externally managed" and is left alone), the Python workspace (locked), on Ubuntu
# Playwright's Chromium (for the browser tests only), the Kafka broker jars. (helm, for the
# chart's tests only, is built by scripts/test.sh in the background: scripts/install_helm.sh;
# `make up` needs none.)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/system_packages.sh

UV_VERSION="0.13.9"   # the Dockerfile pins the same one
TOOLS_DIR="$PWD/.tools"

# playwright_chromium_ready: Playwright's Chromium (and what comes with it) is downloaded: each
# of its install folders holds the marker Playwright writes once a download is complete.
playwright_chromium_ready() {
  local listing folder
  listing=$(uv run playwright install --dry-run chromium) || return 1
  [[ $listing == *"Install location:"* ]] || return 1  # a listing it cannot read: not ready
  while read -r folder; do
    [[ -f $folder/INSTALLATION_COMPLETE ]] || return 1
  done < <(sed -nE 's/^ *Install location: *//p' <<<"$listing")
}

# Without a Chromium package (Ubuntu's is a snap), the browser tests use Playwright's: it is
# downloaded once, then its system libraries installed (apt, so only after a download: where
# the download is blocked, each `make up` retries that alone, without sudo or apt). The
# download's progress (and its retries' stack traces) go to a log; its first error is shown.
install_playwright_chromium() {
  [[ -x /usr/bin/chromium ]] && return 0
  playwright_chromium_ready && return 0
  local log=$TOOLS_DIR/playwright-install.log
  mkdir -p "$TOOLS_DIR"
  echo "downloading Playwright's Chromium (progress: $log)" >&2
  if ! uv run playwright install chromium >"$log" 2>&1; then
    grep -m 1 '^Error' "$log" >&2
    return 1
  fi
  uv run playwright install-deps chromium
}

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
install_playwright_chromium \
  || echo "warning: Playwright's Chromium could not be installed: the browser tests need it," \
    "\`make up\` does not; run scripts/setup.sh again once its servers are reachable" \
    "(docs/fresh-machines.md)" >&2
deploy/local/kafka.sh fetch
