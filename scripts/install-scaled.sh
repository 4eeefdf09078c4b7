#!/usr/bin/env bash
# Installs what `make run-scaled` and tests/test_scaled.py need beyond `make run`: Debian's
# haproxy and redis-server, and PostgreSQL (backend/scripts/install-postgres.sh). Each is
# left alone when already there; scripts/apt-install.sh installs the rest (root or
# password-less sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

backend/scripts/install-postgres.sh

missing=()
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || missing+=(redis-server)
[ ${#missing[@]} -gt 0 ] || exit 0

echo "install-scaled: installing Debian's ${missing[*]}"
scripts/apt-install.sh "${missing[@]}"
for tool in haproxy redis-server; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || [ -x "/usr/bin/$tool" ] || {
    echo "error: $tool still missing after apt-get install" >&2
    exit 1
  }
done
