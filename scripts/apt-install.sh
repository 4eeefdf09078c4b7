#!/usr/bin/env bash
# Installs Debian packages the project's scripts need (PostgreSQL, HAProxy, Redis, kubectl):
#   scripts/apt-install.sh PACKAGE...
# As root, or with password-less sudo; no questions asked. `apt-get update` runs only when
# a package is not installable from the current lists. Debian's own services for them are
# not started at install (policy-rc.d): the project starts its own servers, on loopback,
# with data of its own. Callers decide what is missing and check the result.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 PACKAGE..." >&2; exit 2; }

sudo=()
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    echo "error: installing $* needs root: run 'apt-get update && apt-get install -y $*' as root" >&2
    exit 1
  fi
fi
apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300)
installable() {
  local package
  for package in "$@"; do
    apt-cache policy "$package" 2>/dev/null | grep -q 'Candidate: [0-9]' || return 1
  done
}
installable "$@" || "${apt[@]}" update
policy=/usr/sbin/policy-rc.d
added_policy=""
if [ ! -e "$policy" ] && [ "$(id -u)" = 0 ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && added_policy=yes
fi
status=0
"${apt[@]}" install -y --no-install-recommends "$@" || status=$?
[ -z "$added_policy" ] || rm -f "$policy"
exit "$status"
