#!/usr/bin/env bash
# Creates bench/.venv (Python 3.10, found by scripts/find-python.sh) with the benchmark's
# pinned tools: locust (load) and py-spy (profiles). Re-installs only when
# bench/requirements.txt changed.
set -euo pipefail
bench=$(cd "$(dirname "$0")/.." && pwd)
cd "$bench"
if [ ! -x .venv/bin/python ]; then
  python=$("$bench/../scripts/find-python.sh")
  echo "Creating bench/.venv with $python"
  "$python" -m venv .venv
fi
stamp=.venv/.installed
if [ ! -f "$stamp" ] || [ requirements.txt -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade "pip==24.0"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
  touch "$stamp"
fi
