#!/usr/bin/env bash
# Usage: scripts/with-postgres.sh CMD [ARG...]
# Starts a throwaway PostgreSQL cluster (initdb into a temporary folder, pg_ctl on a free
# port of 127.0.0.1), runs CMD with DATABASE_URL pointing at an empty database in it,
# then stops the cluster and deletes the folder. Exits with CMD's status. Installs
# nothing (scripts/install-postgres.sh does). As root, the server runs as the `postgres`
# user (PostgreSQL refuses to run as root); CMD runs as the caller.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 CMD [ARG...]" >&2; exit 2; }

bindir=""
for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ] && { bindir=$candidate; break; }
done
if [ -z "$bindir" ] && command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
  bindir=$(dirname "$(command -v initdb)")
fi
[ -n "$bindir" ] || {
  echo "error: PostgreSQL's initdb/pg_ctl not found (scripts/install-postgres.sh installs them)" >&2
  exit 1
}

as_server=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || {
    echo "error: running as root needs a 'postgres' user to run the server (Debian's postgresql package creates it)" >&2
    exit 1
  }
  if command -v runuser >/dev/null 2>&1; then
    as_server=(runuser -u postgres --)
  else
    as_server=(setpriv --reuid=postgres --regid=postgres --init-groups --)
  fi
fi

# Ports below the kernel's ephemeral range: a port in that range can be the local end of
# some other program's outgoing connection, which answers no connect but still refuses a bind
# (CI failed that way once). Even so a port can be taken between the check and the bind, so
# the start is retried on another port when the server says the address is in use.
ephemeral_low=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
[ "$ephemeral_low" -gt 11024 ] 2>/dev/null || ephemeral_low=32768
free_port() {
  local port tries
  for tries in $(seq 1 100); do
    port=$((10000 + RANDOM % (ephemeral_low - 10000)))
    # Nothing answers there: take it (connecting is cheaper than binding from bash).
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "error: no free port found" >&2
  return 1
}

cluster=$(mktemp -d "${TMPDIR:-/tmp}/with-postgres.XXXXXX")
[ ${#as_server[@]} -eq 0 ] || chown postgres: "$cluster"
started=""
cleanup() {
  if [ -n "$started" ]; then
    "${as_server[@]}" "$bindir/pg_ctl" -D "$cluster/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$cluster"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"${as_server[@]}" "$bindir/initdb" -D "$cluster/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$cluster/initdb.log" 2>&1 || {
  cat "$cluster/initdb.log" >&2
  exit 1
}
started=yes
for attempt in 1 2 3 4 5; do
  port=$(free_port)
  # Durability off: the cluster lives for one command.
  options="-c listen_addresses=127.0.0.1 -p $port -k $cluster -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
  log=$cluster/server-$attempt.log
  if "${as_server[@]}" "$bindir/pg_ctl" -D "$cluster/data" -l "$log" -o "$options" -w -t 60 start >/dev/null; then
    break
  fi
  if [ "$attempt" -lt 5 ] && grep -q "Address already in use" "$log"; then
    echo "with-postgres: port $port taken meanwhile, trying another" >&2
    continue
  fi
  cat "$log" >&2
  exit 1
done
"${as_server[@]}" "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
  -c "CREATE DATABASE registrations" >/dev/null

export DATABASE_URL="postgresql://postgres@127.0.0.1:$port/registrations"
echo "with-postgres: PostgreSQL $("$bindir/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$port (data in $cluster)" >&2
status=0
"$@" || status=$?
exit "$status"
