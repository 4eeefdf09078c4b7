#!/usr/bin/env bash
# Creates .venv with Python 3.10 if it is missing and installs the pinned dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python=$(scripts/find-python.sh)
  echo "Creating .venv with $python"
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade "pip==24.0"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
# The rules the assistant shares with the registration service (shared/avatar_shared),
# editable: a change there is live in both environments.
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e shared
