#!/usr/bin/env bash
# Runs a command with the project's settings: variables already set in the environment
# win, then .env (yours, not committed), then .env.example (the documented defaults).
set -euo pipefail
cd "$(dirname "$0")/.."
load() {
  local file=$1 line key value
  [ -f "$file" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    [[ $line =~ ^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
    key=${BASH_REMATCH[1]}
    value=${BASH_REMATCH[2]}
    value=${value%\"}; value=${value#\"}
    [ -n "${!key+x}" ] || export "$key=$value"
  done < "$file"
}
load .env
load .env.example
exec "$@"
