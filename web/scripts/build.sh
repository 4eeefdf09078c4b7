#!/usr/bin/env bash
# Copies socket.io-client's browser build into public/, so the widget never needs a CDN.
# Installs the pinned npm packages (npm ci, from package-lock.json) only when
# node_modules is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null 2>&1; then
  echo "build.sh: npm is not installed (Debian: apt-get install -y nodejs npm)" >&2
  exit 1
fi
if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi

src=node_modules/socket.io-client/dist/socket.io.min.js
if [ ! -f "$src" ]; then
  echo "build.sh: $src not found; remove node_modules and run again" >&2
  exit 1
fi
cp "$src" public/socket.io.min.js
echo "build.sh: public/socket.io.min.js from socket.io-client $(node -p 'require("./node_modules/socket.io-client/package.json").version')"
