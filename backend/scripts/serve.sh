#!/usr/bin/env bash
# Migrates the database (alembic upgrade head), then runs the service with uvicorn on
# HOST:PORT (defaults 127.0.0.1:8000). Settings come from the environment (see README);
# relative paths in DATABASE_URL and EVENTS_FILE are relative to where you start this.
# Extra arguments go to uvicorn (e.g. --workers 2, --reload).
set -euo pipefail
backend=$(cd "$(dirname "$0")/.." && pwd)
[ -x "$backend/.venv/bin/python" ] || { echo "error: run backend/scripts/setup.sh first" >&2; exit 1; }
export PYTHONPATH="$backend${PYTHONPATH:+:$PYTHONPATH}"
"$backend/.venv/bin/python" -m app.core.migrations
exec "$backend/.venv/bin/uvicorn" --factory app.main:create_app \
  --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}" \
  --log-level "$(echo "${LOG_LEVEL:-info}" | tr '[:upper:]' '[:lower:]')" \
  --no-server-header "$@"
