#!/usr/bin/env bash
# Installs Debian's PostgreSQL server (for the tests' throwaway cluster) unless its
# initdb is already under /usr/lib/postgresql/*/bin. Needs root (or sudo) for apt-get.
set -euo pipefail
if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  exit 0
fi
echo "PostgreSQL's initdb not found: installing Debian's postgresql package"
sudo=()
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    echo "error: installing PostgreSQL needs root: run 'apt-get update && apt-get install -y postgresql' as root" >&2
    exit 1
  fi
fi
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || {
  echo "error: postgresql installed but no /usr/lib/postgresql/*/bin/initdb" >&2
  exit 1
}
