"""Rasa 3.6.21's socket.io channel, mended and limited to the configured sites.

- Rasa calls ``AsyncServer.enter_room`` without ``await``; since python-socketio 5.10 it
  is a coroutine, so with ``session_persistence`` the browser never joins its session's
  room and every bot reply is lost (RasaHQ/rasa#13027). The session handler here awaits it.
- Rasa's server accepts every origin (``cors_allowed_origins=[]``); here the origins
  come from ``cors_allowed_origins`` in credentials.yml (space-separated; empty or "*"
  allows all).
"""

from __future__ import annotations

import logging
import uuid
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

logger = logging.getLogger(__name__)


def parse_origins(value: Any) -> List[str] | str:
    """"a b" or ["a", "b"] -> ["a", "b"]; empty or "*" -> "*" (any site)."""
    origins = value.split() if isinstance(value, str) else list(value or [])
    return "*" if not origins or "*" in origins else origins


class SocketIOChannel(SocketIOInput):
    """socket.io for the web widget; named ``socketio`` like Rasa's."""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "SocketIOChannel":
        channel = super().from_credentials(credentials)
        channel.allowed_origins = parse_origins((credentials or {}).get("cors_allowed_origins"))
        return channel

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        socketio_webhook = super().blueprint(on_new_message)
        sio = self.sio
        sio.eio.cors_allowed_origins = getattr(self, "allowed_origins", "*")

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            data = data if isinstance(data, dict) else {}
            if not data.get("session_id"):
                data["session_id"] = uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, data["session_id"])
            await sio.emit("session_confirm", data["session_id"], room=sid)

        return socketio_webhook
