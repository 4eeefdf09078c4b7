#!/usr/bin/env bash
# make lint: ruff (style and likely bugs) over all the Python code, ruff's formatting of
# the registration service and the shared package, and mypy over the assistant's
# packages (in .venv) and the service (in backend/.venv). Tools: lint/requirements.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/tool-venv.sh lint
bin=lint/.venv/bin
site=$(lint/.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
# mypy reads each environment's packages (--python-executable), and the PyYAML stubs from
# the tools' environment, under the name they stub
stubs=$(mktemp -d)
trap 'rm -rf "$stubs"' EXIT
ln -s "$site/yaml-stubs" "$stubs/yaml"

echo "ruff check"
"$bin/ruff" check .
echo "ruff format --check (the service, the shared package)"
"$bin/ruff" format --check backend shared
echo "mypy (components, actions, channels, scripts, shared)"
MYPYPATH="$stubs" "$bin/mypy" --python-executable .venv/bin/python
echo "mypy (backend/app)"
(cd backend && MYPYPATH="$stubs" "../$bin/mypy" --python-executable .venv/bin/python)
