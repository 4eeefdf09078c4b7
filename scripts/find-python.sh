#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter (Rasa 3.6 supports 3.8-3.10 only).
# Order: $PYTHON, python3.10 on PATH, pyenv's 3.10.x, the system's /usr/bin/python3.10.
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' 2>/dev/null; }
for candidate in "${PYTHON:-}" "$(command -v python3.10 2>/dev/null)"; do
  [ -n "$candidate" ] && ok "$candidate" && { echo "$candidate"; exit 0; }
done
if command -v pyenv >/dev/null 2>&1; then
  for candidate in "$(pyenv root)"/versions/3.10.*/bin/python3.10; do
    [ -x "$candidate" ] && ok "$candidate" && { echo "$candidate"; exit 0; }
  done
fi
for candidate in /usr/bin/python3.10 /usr/local/bin/python3.10; do
  [ -x "$candidate" ] && ok "$candidate" && { echo "$candidate"; exit 0; }
done
echo "error: Python 3.10 not found (Rasa 3.6 needs 3.8-3.10). Install it (pyenv install 3.10.13, or apt-get install python3.10) or set PYTHON=/path/to/python3.10." >&2
exit 1
