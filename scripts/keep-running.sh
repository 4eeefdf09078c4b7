#!/usr/bin/env bash
# Usage: scripts/keep-running.sh NAME CMD [ARG...]
# Runs CMD and starts it again whenever it exits by itself, so that honcho (which stops
# every process as soon as one exits) keeps the rest of `make run-scaled` running while one
# Rasa instance, action server or Redis is down: HAProxy's health checks send the traffic
# elsewhere meanwhile. Pauses 1 s before a restart, doubling up to 30 s while the command
# keeps failing within a minute of its start; after 6 such quick failures in a row it gives
# up and exits 1, so a command that cannot start at all (a bad setting) stops the run
# instead of looping. TERM or INT (honcho's Ctrl-C) stop the command and end the loop.
# With KEEP_RUNNING_PID_DIR set, the command's process id is written to NAME.pid there, and
# this loop's own to NAME.keeper.pid (tests pause it to hold a server down for a while).
set -uo pipefail
[ $# -ge 2 ] || { echo "usage: $0 NAME CMD [ARG...]" >&2; exit 2; }
name=$1
shift
child=""
stopping=""
stop() {
  stopping=yes
  [ -z "$child" ] || kill -TERM "$child" 2>/dev/null
}
trap stop TERM INT

[ -z "${KEEP_RUNNING_PID_DIR:-}" ] || echo "$$" > "$KEEP_RUNNING_PID_DIR/$name.keeper.pid"
pause=1
quick_failures=0
while :; do
  started=$SECONDS
  "$@" &
  child=$!
  [ -z "${KEEP_RUNNING_PID_DIR:-}" ] || echo "$child" > "$KEEP_RUNNING_PID_DIR/$name.pid"
  # `wait` returns early when a trapped signal arrives: wait again until the child is gone.
  while :; do
    wait "$child"
    status=$?
    kill -0 "$child" 2>/dev/null || break
  done
  child=""
  [ -z "$stopping" ] || exit 0
  if [ $((SECONDS - started)) -ge 60 ]; then
    pause=1
    quick_failures=0
  fi
  quick_failures=$((quick_failures + 1))
  if [ "$quick_failures" -ge 6 ]; then
    echo "keep-running: $name exited with status $status $quick_failures times within a minute of starting; giving up" >&2
    exit 1
  fi
  echo "keep-running: $name exited with status $status; starting it again in $pause s" >&2
  sleep "$pause" &
  wait $! || true
  [ -z "$stopping" ] || exit 0
  pause=$((pause * 2 > 30 ? 30 : pause * 2))
done
