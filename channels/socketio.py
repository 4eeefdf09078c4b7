"""Rasa 3.6.21's socket.io channel, mended and limited to the configured sites.

- Rasa calls ``AsyncServer.enter_room`` without ``await``; since python-socketio 5.10 it
  is a coroutine, so with ``session_persistence`` the browser never joins its session's
  room and every bot reply is lost (RasaHQ/rasa#13027). The session handler here awaits it.
- Rasa's server accepts every origin (``cors_allowed_origins=[]``); here the origins
  come from ``cors_allowed_origins`` in credentials.yml (space-separated; empty or "*"
  allows all).
- Every message goes through the shared guard (channels/guard.py): rate limit, normalised
  text, an answer to empty messages and to a turn that said nothing. A message event
  whose data is not an object is ignored (logged); a ``message`` that is not a string
  counts as empty.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from channels.guard import MessageGuard, agent_of

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
        channel.guard = MessageGuard(channel.name())
        return channel

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        socketio_webhook = super().blueprint(on_new_message)
        sio = self.sio
        sio.eio.cors_allowed_origins = getattr(self, "allowed_origins", "*")
        if not hasattr(self, "guard"):
            self.guard = MessageGuard(self.name())

        @socketio_webhook.listener("after_server_start")
        async def remember_app(app: Any, _loop: Any) -> None:
            self.app = app  # its ctx.agent renders the guard's answers

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            data = data if isinstance(data, dict) else {}
            if not data.get("session_id"):
                data["session_id"] = uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, data["session_id"])
            await sio.emit("session_confirm", data["session_id"], room=sid)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Any) -> None:
            if not isinstance(data, dict):
                logger.warning("socket.io: a message whose data is not an object was ignored.")
                return
            if self.session_persistence:
                sender_id = data.get("session_id")
                if not sender_id or not isinstance(sender_id, str):
                    logger.warning("socket.io: a message without a session_id was ignored "
                                   "(the client must send session_request first).")
                    return
            else:
                sender_id = sid
            metadata = data.get(self.metadata_key)
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = None
            await self.guard.handle(
                agent_of(getattr(self, "app", None)), on_new_message,
                SocketIOOutput(sio, self.bot_message_evt), sender_id, data.get("message"),
                metadata if isinstance(metadata, dict) else None, self.name(),
            )

        return socketio_webhook
