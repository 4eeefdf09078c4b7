#!/usr/bin/env bash
# Creates backend/.venv with Python 3.10 if it is missing (or has another Python) and
# installs requirements.lock when the lock changed since the last install; packages the
# lock no longer lists are removed. Quick when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=.venv/.requirements.lock.sha256

if [ -x .venv/bin/python ] && ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
  echo "backend/.venv has another Python than 3.10: recreating it"
  rm -rf .venv
fi
if [ ! -x .venv/bin/python ]; then
  python=$(../scripts/find-python.sh)
  echo "Creating backend/.venv with $python"
  "$python" -m venv .venv
fi

# The rules the service shares with the assistant (../shared/avatar_shared), editable: a
# change there is live in both environments.
if ! .venv/bin/python -c 'import avatar_shared, pathlib, sys; sys.exit(pathlib.Path(avatar_shared.__file__).resolve().parents[1] != pathlib.Path("../shared").resolve())' 2>/dev/null; then
  echo "Installing ../shared (avatar-shared) into backend/.venv"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e ../shared
fi

wanted=$(sha256sum requirements.lock | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null || true)" = "$wanted" ]; then
  exit 0
fi
echo "Installing backend/requirements.lock into backend/.venv"
pip=(.venv/bin/python -m pip --disable-pip-version-check)
"${pip[@]}" install --quiet --upgrade "pip==24.0"
"${pip[@]}" install --quiet -r requirements.lock
# Remove what the lock does not list (a dependency dropped since the last install).
name() { sed -E 's/[[:space:]]*[=<>!~;[].*$//' | tr '[:upper:]_.' '[:lower:]--'; }
extra=$(comm -23 \
  <("${pip[@]}" freeze --exclude-editable | name | sort -u) \
  <(grep -vE '^[[:space:]]*(#|$)' requirements.lock | name | sort -u))
if [ -n "$extra" ]; then
  echo "Removing packages not in the lock: $(echo $extra)"
  # shellcheck disable=SC2086
  "${pip[@]}" uninstall --quiet --yes $extra
fi
echo "$wanted" > "$stamp"
