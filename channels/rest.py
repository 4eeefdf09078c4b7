"""Rasa's REST channel with its input checked; named ``rest`` like Rasa's, so it serves the
same URL (/webhooks/rest/webhook) and the same shapes: ``{"sender": ..., "message": ...,
"metadata": {...}}`` in, a JSON list of bot messages out.

Rasa's own channel answers 500 to a body that is not a JSON object (``req.json.get``)
and hands Rasa whatever ``sender`` and ``message`` hold. Here a request that is not a
JSON object with a string ``sender`` and a string ``message`` (and, if present, an object
``metadata`` and a string ``input_channel``) gets a 400 with ``{"error": ...}``, and every
message goes through the shared guard (channels/guard.py). Streaming (``?stream=true``)
is not offered: nothing here uses it.
"""

from __future__ import annotations

import json
from typing import Any, Awaitable, Callable, Dict, Optional, Text, Tuple

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.guard import MessageGuard, agent_of

MAX_SENDER_CHARS = 256


class BadRequest(ValueError):
    """The body is not a message for this channel."""


def parse_body(body: bytes) -> Tuple[str, str, Optional[Dict[str, Any]], Optional[str]]:
    """(sender, message, metadata, input_channel) of a request body, or ``BadRequest``."""
    try:
        data = json.loads(body or b"")
    except ValueError as error:  # includes UnicodeDecodeError
        raise BadRequest("the body is not JSON") from error
    if not isinstance(data, dict):
        raise BadRequest("the body is not a JSON object")
    sender, message = data.get("sender"), data.get("message")
    metadata, input_channel = data.get("metadata"), data.get("input_channel")
    if not isinstance(sender, str) or not sender.strip():
        raise BadRequest("'sender' must be a non-empty string")
    if len(sender) > MAX_SENDER_CHARS:
        raise BadRequest(f"'sender' must be at most {MAX_SENDER_CHARS} characters")
    if not isinstance(message, str):
        raise BadRequest("'message' must be a string")
    if metadata is not None and not isinstance(metadata, dict):
        raise BadRequest("'metadata' must be an object")
    if input_channel is not None and not isinstance(input_channel, str):
        raise BadRequest("'input_channel' must be a string")
    return sender, message, metadata, input_channel or None


class RestChannel(RestInput):
    """REST at /webhooks/rest/webhook, input checked, through the shared guard."""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls()

    def __init__(self) -> None:
        self.guard = MessageGuard(self.name())

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        rest_webhook = Blueprint("rest_webhook", __name__)

        @rest_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @rest_webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                sender, text, metadata, input_channel = parse_body(request.body)
            except BadRequest as error:
                return response.json({"error": str(error)}, status=400)
            collector = CollectingOutputChannel()
            await self.guard.handle(
                agent_of(request.app), on_new_message, collector, sender,
                text, metadata, input_channel or self.name(),
            )
            return response.json(collector.messages)

        return rest_webhook
