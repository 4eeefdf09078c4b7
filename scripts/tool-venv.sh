#!/usr/bin/env bash
# Creates <folder>/.venv (Python 3.10, found by scripts/find-python.sh) with the pinned
# tools of <folder>/requirements.txt, e.g. audit/ (pip-audit) and bench/ (locust, py-spy).
# Re-installs only when that requirements.txt changed.
#   scripts/tool-venv.sh audit
set -euo pipefail
project=$(cd "$(dirname "$0")/.." && pwd)
cd "$project/${1:?usage: scripts/tool-venv.sh <folder>}"
if [ ! -x .venv/bin/python ]; then
  python=$("$project/scripts/find-python.sh")
  echo "Creating $1/.venv with $python"
  "$python" -m venv .venv
fi
stamp=.venv/.installed
if [ ! -f "$stamp" ] || [ requirements.txt -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade "pip==24.0"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
  touch "$stamp"
fi
