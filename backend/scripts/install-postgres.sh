#!/usr/bin/env bash
# Installs Debian's PostgreSQL server (for the tests' throwaway cluster) unless its
# initdb is already under /usr/lib/postgresql/*/bin (scripts/apt-install.sh; needs root or sudo).
set -euo pipefail
if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  exit 0
fi
echo "PostgreSQL's initdb not found: installing Debian's postgresql package"
# the project's one way of installing a Debian package (root or password-less sudo)
"$(dirname "$0")/../../scripts/apt-install.sh" postgresql
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || {
  echo "error: postgresql installed but no /usr/lib/postgresql/*/bin/initdb" >&2
  exit 1
}
