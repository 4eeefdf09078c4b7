#!/usr/bin/env python3
"""A tiny static server for the chat widget: serves web/public/ on 127.0.0.1.

Standard library only. The port comes from WEB_PORT (default 8080). Run
`bash scripts/build.sh` first so that public/socket.io.min.js exists.
"""

from __future__ import annotations

import functools
import os
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PUBLIC_DIR = Path(__file__).resolve().parent / "public"
HOST = "127.0.0.1"


class WidgetRequestHandler(SimpleHTTPRequestHandler):
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript; charset=utf-8",
        ".css": "text/css; charset=utf-8",
        ".html": "text/html; charset=utf-8",
    }

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def list_directory(self, path):  # no directory listings
        self.send_error(404)
        return None

    def log_message(self, format: str, *args) -> None:
        if os.environ.get("WEB_QUIET") != "1":
            super().log_message(format, *args)


def main() -> int:
    port = int(os.environ.get("WEB_PORT", "8080"))
    if not (PUBLIC_DIR / "socket.io.min.js").is_file():
        print("warning: public/socket.io.min.js is missing; run: bash scripts/build.sh", file=sys.stderr)
    handler = functools.partial(WidgetRequestHandler, directory=str(PUBLIC_DIR))
    with ThreadingHTTPServer((HOST, port), handler) as server:
        print(f"Serving {PUBLIC_DIR} on http://{HOST}:{server.server_address[1]}/", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
