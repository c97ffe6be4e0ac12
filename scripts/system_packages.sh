# The system packages the platform needs, by what each provides, for Debian 12 and 13 and
# Ubuntu 24.04, whose package names differ (postgresql-15/17/16, openjdk-17/21). Sourced by
# scripts/setup.sh, not run.

# Newest first: the first one the release's archive has is installed.
POSTGRES_PACKAGES=(postgresql-18 postgresql-17 postgresql-16 postgresql-15)
JAVA_PACKAGES=(openjdk-21-jre-headless openjdk-17-jre-headless)

# java_major: the major version of the java on PATH (0 without one).
java_major() {
  command -v java >/dev/null || { echo 0; return; }
  java -version 2>&1 | sed -nE '1s/.*version "(1\.)?([0-9]+).*/\2/p'
}

# missing_needs: the needs this machine lacks, one word each.
missing_needs() {
  [[ -f /etc/ssl/certs/ca-certificates.crt ]] || echo ca-certificates  # PyPI, Maven Central
  command -v python3 >/dev/null || echo python3
  command -v uv >/dev/null || python3 -c 'import ensurepip, venv' 2>/dev/null || echo python3-venv
  (( $(java_major) >= 17 )) || echo java
  command -v mvn >/dev/null || echo maven
  compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || echo postgres
  local command
  for command in curl git make; do command -v "$command" >/dev/null || echo "$command"; done
  if is_ubuntu; then  # Playwright's own Chromium (setup.sh), whose Node driver needs libatomic
    compgen -G '/usr/lib/*/libatomic.so.1' >/dev/null || echo libatomic1
  else
    [[ -x /usr/bin/chromium ]] || echo chromium  # the browser tests (Playwright drives it)
  fi
}

# is_ubuntu: whether this is Ubuntu, whose chromium package only installs the snap (which a
# container or chroot cannot run, and which has no /usr/bin/chromium).
is_ubuntu() { grep -q '^ID=ubuntu$' /etc/os-release; }

# first_available PACKAGE...: the first package the archive has (apt-get update done).
first_available() {
  local package policy
  for package; do
    # Read whole, not piped into `grep -q`: its early exit fails the pipe under pipefail.
    policy=$(apt-cache policy "$package" 2>/dev/null)
    if [[ $policy =~ Candidate:\ [^\(] ]]; then
      echo "$package"; return 0
    fi
  done
  echo "none of ${*} is in this system's package archive" >&2
  return 1
}

# package_for NEED: the package that provides it on this release ("" when apt cannot).
package_for() {
  case $1 in
    java) first_available "${JAVA_PACKAGES[@]}" ;;
    postgres) first_available "${POSTGRES_PACKAGES[@]}" ;;
    *) echo "$1" ;;
  esac
}

install_missing_system_packages() {
  local needs packages=() need package
  mapfile -t needs < <(missing_needs)
  (( ${#needs[@]} )) || return 0
  local sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  echo "missing: ${needs[*]}; installing them from the system's package archive" >&2
  "${sudo[@]}" apt-get update -qq
  for need in "${needs[@]}"; do
    package=$(package_for "$need")
    [[ -n $package ]] && packages+=("$package")
  done
  (( ${#packages[@]} )) || return 0
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${packages[@]}" >/dev/null
}
