"""`make stats` over HTTP, for an open-data portal (or a maintainer's script) that fetches
it: on Rasa's port,

    GET /webhooks/stats/daily.csv?since=90d    the anonymous daily counts (text/csv)
    GET /webhooks/stats/README.md              their data dictionary

with ``Authorization: Bearer <STATS_TOKEN>``. The same counts as `make stats`
(scripts/stats.py), from this server's tracker store (TRACKER_STORE_URL): no text, no
identifier, rows under 5 messages left out. STATS_TOKEN empty (the default): not served.
"""

from __future__ import annotations

import argparse
import asyncio
import hmac
import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from components.settings import Settings

logger = logging.getLogger(__name__)


def authorised(request: Request, token: str) -> bool:
    given = request.headers.get("authorization", "")
    return bool(token) and hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


class StatsChannel(InputChannel):
    """Not a conversation channel: it only serves the counts (Rasa mounts every channel's
    blueprint under /webhooks/<name>/)."""

    @classmethod
    def name(cls) -> Text:
        return "stats"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "StatsChannel":
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        stats = Blueprint("stats_webhook", __name__)

        async def serve(request: Request, dictionary: bool, content_type: str) -> HTTPResponse:
            token = Settings.from_env().stats_token
            if not token:
                return response.json({"error": "not served: STATS_TOKEN is not set"}, status=404)
            if not authorised(request, token):
                return response.json({"error": "a valid Authorization: Bearer token is needed"}, status=401)
            from scripts.stats import export

            since = request.args.get("since", "90d")
            try:  # reading the tracker store blocks: not in Sanic's loop
                rendered = await asyncio.get_running_loop().run_in_executor(None, export, None, since)
            except argparse.ArgumentTypeError as error:
                return response.json({"error": str(error)}, status=400)
            except FileNotFoundError:
                return response.json({"error": "no conversations yet"}, status=404)
            except Exception:  # noqa: BLE001 - a database that is down: say so, log why
                logger.exception("stats: the tracker store could not be read")
                return response.json({"error": "the conversations cannot be read right now"}, status=503)
            table, explained, _ = rendered
            return response.text(explained if dictionary else table, content_type=content_type)

        @stats.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @stats.route("/daily.csv", methods=["GET"])
        async def daily(request: Request) -> HTTPResponse:
            return await serve(request, False, "text/csv; charset=utf-8")

        @stats.route("/README.md", methods=["GET"])
        async def data_dictionary(request: Request) -> HTTPResponse:
            return await serve(request, True, "text/markdown; charset=utf-8")

        return stats
