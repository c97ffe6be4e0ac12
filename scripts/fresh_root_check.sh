#!/usr/bin/env bash
# Proves the README's commands on a fresh Debian or Ubuntu: builds a minimal root with debootstrap,
# clones this repository into it, runs scripts/setup.sh there (with the network), then
# `make up` and `make down` in a private network namespace (its own 127.0.0.1: the ports of a
# platform running on this machine are left alone, and nothing is downloaded any more).
# Not run by CI or `make test`: it downloads a whole OS (about 1.5 GB with the packages).
# Needs root, debootstrap (apt-get install debootstrap), unshare and ip (util-linux, iproute2).
#
# Usage: scripts/fresh_root_check.sh [RELEASE] (bookworm, the default, trixie, or Ubuntu's noble)
# noble's signatures are checked (never skipped) with UBUNTU_KEYRING (a keyring file), by default
# with the keyring of noble's ubuntu-keyring package, fetched over HTTPS and checked against its
# pinned SHA-256 (Debian packages none); its root also gets noble-updates and noble-security.
# On a network that intercepts TLS, EXTRA_CA_DIR=/usr/local/share/ca-certificates (a folder of
# .crt files) makes the root trust the interceptor's CA, and pip and uv use the system's store,
# as such a network's machines are set up; the root is otherwise untouched.
# Times go to stdout; the root stays in /var/tmp/fresh-RELEASE (delete it with rm -rf once
# unmounted; the script unmounts on exit).
set -euo pipefail
RELEASE="${1:-bookworm}"
ROOT="${FRESH_ROOT:-/var/tmp/fresh-$RELEASE}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
BOOTSTRAP_OPTIONS=() BOOTSTRAP_SCRIPT=() UPDATE_SUITES=()
if [[ $RELEASE == noble ]]; then  # Ubuntu 24.04, with universe enabled as on an installed one
  MIRROR="${UBUNTU_MIRROR:-http://archive.ubuntu.com/ubuntu}"
  COMPONENTS="main universe"
  BOOTSTRAP_OPTIONS=(--components="${COMPONENTS// /,}")
  # Debian 12's debootstrap predates noble; Ubuntu's releases all use this script.
  BOOTSTRAP_SCRIPT=(/usr/share/debootstrap/scripts/gutsy)
  UPDATE_SUITES=(noble-updates noble-security)  # an installed Ubuntu takes its fixes from these
fi
# Ubuntu's archive key, which Debian 12 does not package: noble's ubuntu-keyring, fetched over
# HTTPS and checked against the SHA-256 that noble's package index gives it.
UBUNTU_KEYRING_DEB=https://archive.ubuntu.com/ubuntu/pool/main/u/ubuntu-keyring/ubuntu-keyring_2023.11.28.1_all.deb
UBUNTU_KEYRING_SHA256=36de43b15853ccae0028e9a767613770c704833f82586f28eb262f0311adb8a8
REPO="${REPO_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"  # the clone's source
CHECKOUT=/root/contacts-platform
EXTRA_CA_DIR="${EXTRA_CA_DIR:-}"
TRUST_SYSTEM_STORE=""
[[ -n $EXTRA_CA_DIR ]] && TRUST_SYSTEM_STORE="SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt PIP_CERT=/etc/ssl/certs/ca-certificates.crt"

step() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }
timed() {  # timed LABEL COMMAND...: run it, print how long it took
  local label=$1 start=$SECONDS; shift
  step "$label"; "$@"; step "$label: done in $((SECONDS - start)) s"
}

# in_root COMMAND: run it in the root as root, with a clean environment (a fresh login's).
in_root() {
  # shellcheck disable=SC2086 # TRUST_SYSTEM_STORE is words
  chroot "$ROOT" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb $TRUST_SYSTEM_STORE \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin bash -c "$1"
}

unmount_all() {
  for mount in proc sys dev; do umount -R "$ROOT/$mount" 2>/dev/null || true; done
}

# fetch_ubuntu_keyring DIR: unpack noble's keyring package into DIR, print the keyring's path.
# Chained with &&: it runs in a command substitution, where `set -e` does not stop at a failure.
fetch_ubuntu_keyring() {
  curl -fsS --proto =https -o "$1/keyring.deb" "$UBUNTU_KEYRING_DEB" &&
    echo "$UBUNTU_KEYRING_SHA256  $1/keyring.deb" | sha256sum --check --quiet >&2 &&
    dpkg-deb -x "$1/keyring.deb" "$1" &&
    echo "$1/usr/share/keyrings/ubuntu-archive-keyring.gpg"
}

make_root() {
  [[ -x $ROOT/usr/bin/apt-get ]] && return 0
  local keyring=()
  if [[ $RELEASE == noble ]]; then  # debootstrap checks the Release file's signature with it
    KEYRING_DIR=$(mktemp -d)  # removed on exit
    keyring=(--keyring="${UBUNTU_KEYRING:-$(fetch_ubuntu_keyring "$KEYRING_DIR")}")
  fi
  debootstrap --variant=minbase "${keyring[@]}" "${BOOTSTRAP_OPTIONS[@]}" \
    "$RELEASE" "$ROOT" "$MIRROR" "${BOOTSTRAP_SCRIPT[@]}" >"$ROOT.debootstrap.log" 2>&1
  local suite
  for suite in "${UPDATE_SUITES[@]}"; do
    echo "deb $MIRROR $suite $COMPONENTS" >>"$ROOT/etc/apt/sources.list"
  done
}

enter_root() {
  mount -t proc proc "$ROOT/proc"
  for mount in sys dev; do
    mount --rbind "/$mount" "$ROOT/$mount" && mount --make-rslave "$ROOT/$mount"
  done
  cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
  # As in Debian's container images: package installs start no daemons (a chroot has no init;
  # the platform runs its own Postgres cluster, not the package's).
  printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d" && chmod +x "$ROOT/usr/sbin/policy-rc.d"
}

# What a person does before the README's commands: install git and make, clone the project.
clone() {
  in_root "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq git make ca-certificates >/dev/null"
  if [[ -n $EXTRA_CA_DIR ]]; then
    cp "$EXTRA_CA_DIR"/*.crt "$ROOT/usr/local/share/ca-certificates/"
    in_root "update-ca-certificates >/dev/null"
  fi
  rm -rf "${ROOT:?}$CHECKOUT"
  git clone -q "$REPO" "$ROOT$CHECKOUT"
  git -C "$ROOT$CHECKOUT" checkout -q "$(git -C "$REPO" rev-parse HEAD)"
}

# make up, then make down, with only a loopback network.
up_and_down() {
  export ROOT CHECKOUT TRUST_SYSTEM_STORE && export -f in_root
  unshare --net bash -c 'ip link set lo up && in_root "cd $CHECKOUT && make up && make down"'
}

KEYRING_DIR=""
trap 'unmount_all; rm -rf "$KEYRING_DIR"' EXIT
timed "debootstrap $RELEASE into $ROOT" make_root
enter_root
step "in the root: $(in_root '. /etc/os-release && echo "$PRETTY_NAME"')"
timed "apt-get install git make; git clone" clone
timed "scripts/setup.sh" in_root "cd $CHECKOUT && time scripts/setup.sh"
timed "make up && make down (private network)" up_and_down
step "versions: $(in_root "python3 --version; java -version 2>&1 | head -1; ls /usr/lib/postgresql; $CHECKOUT/.tools/bin/uv --version" | tr '\n' ' ')"
