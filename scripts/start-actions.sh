#!/usr/bin/env bash
# Starts the action server on ACTION_HOST:ACTION_PORT (127.0.0.1:5055 by default).
set -euo pipefail
cd "$(dirname "$0")/.."
export SANIC_HOST="${ACTION_HOST:-127.0.0.1}"
exec .venv/bin/python -m rasa_sdk --actions actions --port "${ACTION_PORT:-5055}"
