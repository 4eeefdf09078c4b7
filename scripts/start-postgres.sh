#!/usr/bin/env bash
# Usage: scripts/start-postgres.sh DATA_DIR
# Runs a PostgreSQL cluster of the project's own in the foreground, on 127.0.0.1:POSTGRES_PORT
# (default 5432), for `make run-scaled`: conversations (database `rasa`) and registrations
# (database `registrations`), owned by the role POSTGRES_USER (default avatar) with the
# password POSTGRES_PASSWORD. The first start creates the cluster in DATA_DIR and the two
# databases, listening on its Unix socket only meanwhile, so no client sees a half-made
# cluster. Unlike backend/scripts/with-postgres.sh (the tests' throwaway clusters), this one
# keeps its data, with PostgreSQL's durability settings. As root, the server runs as the
# `postgres` user (PostgreSQL refuses to run as root). TERM (or INT, where it is not
# ignored, as it is for a command started in the background by a script): a fast shutdown.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 DATA_DIR" >&2; exit 2; }
cd "$(dirname "$0")/.."
root=$(mkdir -p "$1" && cd "$1" && pwd)
data=$root/data
socket_dir=$root/run
port=${POSTGRES_PORT:-5432}
user=${POSTGRES_USER:-avatar}
password=${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is not set (.env.example has a development default)}

bindir=""
for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  [ -x "$candidate/postgres" ] && { bindir=$candidate; break; }
done
[ -n "$bindir" ] || { echo "error: PostgreSQL not found (scripts/install-scaled.sh installs it)" >&2; exit 1; }

as_server=()
if [ "$(id -u)" = 0 ]; then
  # setpriv runs the command in its place (no process in between to pass signals on)
  as_server=(setpriv --reuid=postgres --regid=postgres --init-groups --)
  chown postgres: "$root"
  chmod 700 "$root"
fi
"${as_server[@]}" mkdir -p "$socket_dir"

if [ ! -f "$root/ready" ]; then
  if [ ! -f "$data/PG_VERSION" ]; then
    echo "start-postgres: creating the cluster in $data"
    pwfile=$(mktemp)
    printf '%s\n' "$password" > "$pwfile"
    [ ${#as_server[@]} -eq 0 ] || chown postgres: "$pwfile"
    "${as_server[@]}" "$bindir/initdb" -D "$data" -U "$user" --pwfile="$pwfile" -E UTF8 --locale=C \
      --auth-local=scram-sha-256 --auth-host=scram-sha-256 >"$root/initdb.log" 2>&1 \
      || { rm -f "$pwfile"; cat "$root/initdb.log" >&2; exit 1; }
    rm -f "$pwfile"
  fi
  "${as_server[@]}" "$bindir/pg_ctl" -D "$data" -l "$root/setup.log" -w -t 60 \
    -o "-c listen_addresses= -k $socket_dir -p $port" start >/dev/null
  for database in rasa registrations; do
    "${as_server[@]}" env PGPASSWORD="$password" "$bindir/psql" -X -h "$socket_dir" -p "$port" \
      -U "$user" -d postgres -qtA -v ON_ERROR_STOP=1 \
      -c "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1 \
      || "${as_server[@]}" env PGPASSWORD="$password" "$bindir/psql" -X -h "$socket_dir" -p "$port" \
           -U "$user" -d postgres -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $database"
  done
  "${as_server[@]}" "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null
  touch "$root/ready"
fi

"${as_server[@]}" "$bindir/postgres" -D "$data" -k "$socket_dir" -p "$port" \
  -c listen_addresses=127.0.0.1 -c log_line_prefix='' -c max_connections=200 &
server=$!
trap 'kill -INT "$server" 2>/dev/null' TERM INT
while :; do
  wait "$server"
  status=$?
  kill -0 "$server" 2>/dev/null || exit "$status"
done
