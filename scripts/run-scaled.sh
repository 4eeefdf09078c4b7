#!/usr/bin/env bash
# `make run-scaled`: the assistant as several processes on one machine, in the foreground
# (Ctrl-C stops all), with the engines' own mechanisms doing the sharing:
#   HAProxy       RASA_HOST:RASA_PORT in front of RASA_INSTANCES Rasa instances (ports
#                 RASA_PORT+1...), ACTION_HOST:ACTION_PORT in front of ACTION_INSTANCES
#                 action servers (ports ACTION_PORT+1...): deploy/haproxy.cfg
#   Redis         Rasa's lock store, on 127.0.0.1:REDIS_PORT: deploy/redis.conf
#   PostgreSQL    conversations and registrations, a cluster kept in $SCALED_DIR/postgres
#                 on 127.0.0.1:POSTGRES_PORT: scripts/start-postgres.sh
#   registration service with REGISTRATION_WORKERS uvicorn workers; the demo page (WEB_PORT)
# Every process runs under scripts/keep-running.sh, which starts it again when it exits,
# so honcho (which stops everything when one process ends) keeps the rest running.
# Settings come from the environment (scripts/with-env.sh: .env, then .env.example).
# SCALED_DIR (default var/scaled) holds the generated files, PostgreSQL's and Redis's data
# and the process ids (run/NAME.pid); the tests point it at a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-scaled.sh

number() {  # number NAME VALUE MIN MAX
  [[ $2 =~ ^[0-9]+$ ]] && [ "$2" -ge "$3" ] && [ "$2" -le "$4" ] || {
    echo "error: $1=$2: expected a whole number from $3 to $4" >&2
    exit 1
  }
}
instances=${RASA_INSTANCES:-2}
action_instances=${ACTION_INSTANCES:-2}
workers=${REGISTRATION_WORKERS:-2}
number RASA_INSTANCES "$instances" 1 16
number ACTION_INSTANCES "$action_instances" 1 16
number REGISTRATION_WORKERS "$workers" 1 16

export RASA_HOST=${RASA_HOST:-127.0.0.1} RASA_PORT=${RASA_PORT:-5005}
export ACTION_HOST=${ACTION_HOST:-127.0.0.1} ACTION_PORT=${ACTION_PORT:-5055}
export REDIS_HOST=127.0.0.1 REDIS_PORT=${REDIS_PORT:-6379}
export REDIS_DB=${REDIS_DB:-1} REDIS_KEY_PREFIX=${REDIS_KEY_PREFIX:-avatar}
export POSTGRES_PORT=${POSTGRES_PORT:-5432} POSTGRES_USER=${POSTGRES_USER:-avatar}
export POSTGRES_PASSWORD=${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is not set (.env.example has a development default)}
backend_host=${REGISTRATION_SERVICE_HOST:-127.0.0.1}
backend_port=${REGISTRATION_SERVICE_PORT:-8000}

# Ports of the instances: RASA_INSTANCE_PORTS / ACTION_INSTANCE_PORTS (space-separated),
# or the ports after the proxy's.
ports() {  # ports "EXPLICIT" FIRST COUNT
  if [ -n "$1" ]; then echo "$1"; else seq -s ' ' $(($2 + 1)) $(($2 + $3)); fi
}
read -r -a rasa_ports <<< "$(ports "${RASA_INSTANCE_PORTS:-}" "$RASA_PORT" "$instances")"
read -r -a action_ports <<< "$(ports "${ACTION_INSTANCE_PORTS:-}" "$ACTION_PORT" "$action_instances")"
[ ${#rasa_ports[@]} = "$instances" ] || { echo "error: RASA_INSTANCE_PORTS names ${#rasa_ports[@]} ports for RASA_INSTANCES=$instances" >&2; exit 1; }
[ ${#action_ports[@]} = "$action_instances" ] || { echo "error: ACTION_INSTANCE_PORTS names ${#action_ports[@]} ports for ACTION_INSTANCES=$action_instances" >&2; exit 1; }

dir=${SCALED_DIR:-var/scaled}
mkdir -p "$dir/run" "$dir/redis"
dir=$(cd "$dir" && pwd)
rm -f "$dir"/run/*.pid

# Every Rasa instance and every uvicorn worker talks to the same databases and lock store.
postgres_url="postgresql://$POSTGRES_USER:$POSTGRES_PASSWORD@127.0.0.1:$POSTGRES_PORT"
export TRACKER_STORE_URL="$postgres_url/rasa"
export DATABASE_URL="$postgres_url/registrations"
export ACTION_ENDPOINT_URL="http://$ACTION_HOST:$ACTION_PORT/webhook"
export REGISTRATION_SERVICE_URL="http://$backend_host:$backend_port"
export KEEP_RUNNING_PID_DIR="$dir/run"
# Each Rasa instance would otherwise pick its own random secret for Telegram's webhook,
# and the last one to call setWebhook would win: updates reaching the others got 403.
if [ -n "${TELEGRAM_TOKEN:-}" ] && [ -z "${TELEGRAM_SECRET_TOKEN:-}" ]; then
  TELEGRAM_SECRET_TOKEN=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(32))')
  export TELEGRAM_SECRET_TOKEN
fi

# HAProxy's configuration: deploy/haproxy.cfg with a server line per instance.
servers() {  # servers PREFIX WITH_COOKIE PORT...
  local prefix=$1 cookie=$2 i=0 port
  shift 2
  for port in "$@"; do
    i=$((i + 1))
    printf '    server %s%d 127.0.0.1:%s%s\n' "$prefix" "$i" "$port" "${cookie:+ cookie $prefix$i}"
  done
}
{
  while IFS= read -r line; do
    case "$line" in
      *"@servers rasa cookie@"*) servers rasa yes "${rasa_ports[@]}" ;;
      *"@servers rasa@"*) servers rasa "" "${rasa_ports[@]}" ;;
      *"@servers actions@"*) servers actions "" "${action_ports[@]}" ;;
      *) printf '%s\n' "$line" ;;
    esac
  done < deploy/haproxy.cfg
} > "$dir/haproxy.cfg"
haproxy -c -f "$dir/haproxy.cfg" >/dev/null

# honcho's Procfile: one line per process, each under keep-running.sh.
q() { printf '%q' "$1"; }
keep="scripts/keep-running.sh"
pg="127.0.0.1:$POSTGRES_PORT"
{
  echo "postgres: $keep postgres scripts/start-postgres.sh $(q "$dir/postgres")"
  echo "redis: $keep redis redis-server deploy/redis.conf --port $REDIS_PORT --dir $(q "$dir/redis")"
  echo "backend: env HOST=$(q "$backend_host") PORT=$backend_port $keep backend scripts/wait-for-port.sh $pg -- backend/scripts/serve.sh --workers $workers"
  for i in "${!action_ports[@]}"; do
    echo "actions$((i + 1)): env ACTION_HOST=127.0.0.1 ACTION_PORT=${action_ports[$i]} $keep actions$((i + 1)) scripts/start-actions.sh"
  done
  for i in "${!rasa_ports[@]}"; do
    echo "rasa$((i + 1)): env RASA_HOST=127.0.0.1 RASA_PORT=${rasa_ports[$i]} RASA_ENDPOINTS=deploy/endpoints-scaled.yml $keep rasa$((i + 1)) scripts/wait-for-port.sh $pg 127.0.0.1:$REDIS_PORT -- scripts/start-rasa.sh"
  done
  echo "haproxy: $keep haproxy haproxy -db -f $(q "$dir/haproxy.cfg")"
  echo "web: python3 web/serve.py"
} > "$dir/Procfile"

echo "run-scaled: HAProxy on $RASA_HOST:$RASA_PORT -> Rasa on ${rasa_ports[*]}; $ACTION_HOST:$ACTION_PORT -> actions on ${action_ports[*]}"
echo "run-scaled: Redis on 127.0.0.1:$REDIS_PORT, PostgreSQL on $pg (data in $dir/postgres), registration service on $backend_host:$backend_port ($workers workers)"
exec .venv/bin/honcho start -f "$dir/Procfile" -d . --env /dev/null --no-colour
