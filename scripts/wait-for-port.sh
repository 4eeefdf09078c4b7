#!/usr/bin/env bash
# Usage: scripts/wait-for-port.sh HOST:PORT [HOST:PORT...] -- CMD [ARG...]
# Waits until something accepts connections at every HOST:PORT (at most WAIT_FOR_SECONDS,
# default 90), then runs CMD in its place. `make run-scaled` starts every process at once;
# this keeps Rasa and the registration service from starting before their databases.
set -euo pipefail
targets=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do targets+=("$1"); shift; done
[ $# -gt 1 ] || { echo "usage: $0 HOST:PORT... -- CMD [ARG...]" >&2; exit 2; }
shift
deadline=$((SECONDS + ${WAIT_FOR_SECONDS:-90}))
for target in "${targets[@]}"; do
  until (exec 3<>"/dev/tcp/${target%:*}/${target##*:}") 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then
      echo "error: nothing answers at $target after ${WAIT_FOR_SECONDS:-90} s" >&2
      exit 1
    fi
    sleep 0.5
  done
done
exec "$@"
