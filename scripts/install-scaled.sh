#!/usr/bin/env bash
# Installs what `make run-scaled` and tests/test_scaled.py need beyond `make run`: Debian's
# haproxy and redis-server, and PostgreSQL (backend/scripts/install-postgres.sh). Each is
# left alone when already there. `apt-get update` runs only when a package is not
# installable from the current lists. Needs root (or password-less sudo) for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."

backend/scripts/install-postgres.sh

missing=()
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || missing+=(redis-server)
[ ${#missing[@]} -gt 0 ] || exit 0

echo "install-scaled: installing Debian's ${missing[*]}"
sudo=()
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    echo "error: installing ${missing[*]} needs root: run 'apt-get update && apt-get install -y ${missing[*]}' as root" >&2
    exit 1
  fi
fi
apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300)
# The packages' own services are not wanted: the project starts its own servers, on
# loopback, with data under var/ (policy-rc.d keeps Debian from starting them at install).
installable() {
  local package
  for package in "$@"; do
    apt-cache policy "$package" 2>/dev/null | grep -q 'Candidate: [0-9]' || return 1
  done
}
installable "${missing[@]}" || "${apt[@]}" update
policy=/usr/sbin/policy-rc.d
added_policy=""
if [ ! -e "$policy" ] && [ "$(id -u)" = 0 ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && added_policy=yes
fi
status=0
"${apt[@]}" install -y --no-install-recommends "${missing[@]}" || status=$?
[ -z "$added_policy" ] || rm -f "$policy"
[ "$status" = 0 ] || exit "$status"
for tool in haproxy redis-server; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || [ -x "/usr/bin/$tool" ] || {
    echo "error: $tool still missing after apt-get install" >&2
    exit 1
  }
done
