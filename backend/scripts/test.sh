#!/usr/bin/env bash
# Runs the backend tests on SQLite, then again on a throwaway PostgreSQL cluster.
#   TEST_POSTGRES=1  PostgreSQL is required: installed if missing, a failure fails the run
#   TEST_POSTGRES=0  SQLite only
#   unset            PostgreSQL is installed if possible and used when initdb is there
# Arguments go to pytest (e.g. -x, -k name).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

echo "== backend tests on SQLite"
.venv/bin/python -m pytest "$@"

mode=${TEST_POSTGRES:-auto}
case "$mode" in
  0 | false | no)
    echo "== backend tests on PostgreSQL skipped (TEST_POSTGRES=$mode)"
    exit 0
    ;;
  1 | true | yes)
    scripts/install-postgres.sh
    ;;
  *)
    scripts/install-postgres.sh || echo "warning: could not install PostgreSQL" >&2
    if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null && ! command -v initdb >/dev/null 2>&1; then
      echo "== backend tests on PostgreSQL skipped: no initdb (TEST_POSTGRES=1 makes this an error)"
      exit 0
    fi
    ;;
esac

echo "== backend tests on PostgreSQL"
# The suite reads TEST_DATABASE_URL only, never DATABASE_URL.
scripts/with-postgres.sh bash -c 'TEST_DATABASE_URL="$DATABASE_URL" exec .venv/bin/python -m pytest "$@"' _ "$@"
