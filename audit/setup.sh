#!/usr/bin/env bash
# Creates audit/.venv (Python 3.10, found by scripts/find-python.sh) with pip-audit, pinned.
# Re-installs only when audit/requirements.txt changed.
set -euo pipefail
audit=$(cd "$(dirname "$0")" && pwd)
cd "$audit"
if [ ! -x .venv/bin/python ]; then
  python=$("$audit/../scripts/find-python.sh")
  echo "Creating audit/.venv with $python"
  "$python" -m venv .venv
fi
stamp=.venv/.installed
if [ ! -f "$stamp" ] || [ requirements.txt -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
  touch "$stamp"
fi
