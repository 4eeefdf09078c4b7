"""A local stand-in for the Telegram Bot API, so the real connector code runs in tests.

It listens on 127.0.0.1 (a free port), answers ``POST /bot<token>/<method>`` the way
Telegram does (``{"ok": true, "result": ...}``, or ``{"ok": false, "error_code": ...,
"description": ...}``), and records every call: the method and its parameters, from a
JSON, URL-encoded or multipart body (aiogram sends forms; ``reply_markup`` arrives as a
JSON string, as Telegram receives it).

    stub = TelegramStub(token).start()
    ... TELEGRAM_API_URL=stub.base_url ...
    stub.calls("sendMessage")   # [{"method": "sendMessage", "params": {...}}, ...]
    stub.stop()

It runs its own event loop in a thread, so synchronous tests can use it.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from typing import Any, Callable, Dict, List, Optional, Tuple

from aiohttp import web

BOT_USER = {"id": 123456, "is_bot": True, "first_name": "AVATAR", "username": "avatar_test_bot"}


class TelegramStub:
    def __init__(self, token: str) -> None:
        self.token = token
        self.port: Optional[int] = None
        # method -> (HTTP status, description): answer that method with an error
        self.failures: Dict[str, Tuple[int, str]] = {}
        # chat ids whose sendMessage fails as for a user who blocked the bot
        self.blocked_chats: set[str] = set()
        # method -> seconds to wait before answering (to run into the client's timeout)
        self.delays: Dict[str, float] = {}
        self._calls: List[Dict[str, Any]] = []
        self._lock = threading.Condition()
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._runner: Optional[web.AppRunner] = None
        self._thread: Optional[threading.Thread] = None
        self._message_id = 0

    # --- control from the test ---------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "TelegramStub":
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready,), daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the Telegram stand-in did not start")
        return self

    def stop(self) -> None:
        if self._loop and self._runner:
            asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)

    async def _shutdown(self) -> None:
        await self._runner.cleanup()
        others = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in others:  # answers still sleeping in a delay
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)

    def calls(self, method: Optional[str] = None, chat_id: Any = None) -> List[Dict[str, Any]]:
        """Recorded calls, oldest first; only ``method`` / to ``chat_id`` when given."""
        with self._lock:
            return [
                call for call in self._calls
                if (method is None or call["method"] == method)
                and (chat_id is None or call["params"].get("chat_id") == str(chat_id))
            ]

    def clear(self) -> None:
        with self._lock:
            self._calls.clear()

    def wait_for(self, predicate: Callable[[List[Dict[str, Any]]], bool], timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        with self._lock:
            while not predicate(list(self._calls)):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"stand-in never saw the expected calls: {self._calls}")
                self._lock.wait(left)

    # --- the server --------------------------------------------------------------------

    def _serve(self, ready: threading.Event) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        self._loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        self._loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]
        ready.set()
        self._loop.run_forever()
        self._loop.close()

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.content_type == "application/json":
            params = await request.json()
        else:
            params = {key: value for key, value in (await request.post()).items()
                      if isinstance(value, str)}
        if request.match_info["token"] != self.token:
            return self._error(401, "Unauthorized")
        with self._lock:
            self._calls.append({"method": method, "params": params})
            self._lock.notify_all()
        if method in self.delays:
            await asyncio.sleep(self.delays[method])
        if method in self.failures:
            return self._error(*self.failures[method])
        if method == "sendMessage" and str(params.get("chat_id")) in self.blocked_chats:
            return self._error(403, "Forbidden: bot was blocked by the user")
        result = self._result(method, params)
        if result is None:
            return self._error(404, "Not Found: method not found")
        return web.json_response({"ok": True, "result": result})

    def _result(self, method: str, params: Dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method in ("setWebhook", "deleteWebhook", "answerCallbackQuery", "sendChatAction"):
            return True
        if method == "getWebhookInfo":
            return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
        if method in ("sendMessage", "sendPhoto"):
            self._message_id += 1
            chat_id = str(params.get("chat_id", ""))
            message = {
                "message_id": self._message_id,
                "from": BOT_USER,
                "date": int(time.time()),
                "chat": {"id": int(chat_id) if chat_id.lstrip("-").isdigit() else chat_id,
                         "type": "private"},
            }
            if "text" in params:
                message["text"] = params["text"]
            if "reply_markup" in params:
                message["reply_markup"] = json.loads(params["reply_markup"])
            return message
        return None

    @staticmethod
    def _error(status: int, description: str) -> web.Response:
        return web.json_response(
            {"ok": False, "error_code": status, "description": description}, status=status
        )
