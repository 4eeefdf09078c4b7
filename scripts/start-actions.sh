#!/usr/bin/env bash
# Starts the action server on ACTION_HOST:ACTION_PORT (127.0.0.1:5055 by default).
set -euo pipefail
cd "$(dirname "$0")/.."
export SANIC_HOST="${ACTION_HOST:-127.0.0.1}"
# Sanic accepts request bodies up to 100 MB by default; Rasa's calls (the conversation
# and the domain) stay far below this. A bigger body gets 413 before it is read.
export SANIC_REQUEST_MAX_SIZE="${ACTION_REQUEST_MAX_BYTES:-16777216}"
# actions/logmask.py masks emails and phone numbers in every log record, then runs
# rasa_sdk's server with its /webhook input checked (channels/action_server.py).
exec .venv/bin/python -m actions.logmask channels.action_server --actions actions --port "${ACTION_PORT:-5055}"
