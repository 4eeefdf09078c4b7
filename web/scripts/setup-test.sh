#!/usr/bin/env bash
# Everything the widget's browser tests need on a fresh machine: Debian's chromium,
# the npm packages (socket.io-client, axe-core) and a Python venv at web/.venv.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
  else
    echo "setup-test.sh: chromium is missing; run as root: apt-get install -y chromium" >&2
    exit 1
  fi
fi

bash scripts/build.sh

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/pip install -q -r requirements-test.txt
echo "setup-test.sh: ready; run: RASA_URL=http://localhost:5005 .venv/bin/pytest"
