"""A cap on request bodies (uvicorn has none): 413 instead of reading a body whole.

A Content-Length over the cap is refused before a byte of the body is read; a body sent
without one (chunked) is refused as soon as what arrived passes the cap. Either way the
answer is 413 `payload_too_large` in the service's error shape, with `Connection: close`
so the server does not go on reading the rest.
"""

from __future__ import annotations

from fastapi import HTTPException
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import payload_too_large


class BodySizeLimit:
    """Pure ASGI middleware (no buffering of its own)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        error = payload_too_large(self.max_bytes)
        for name, value in scope["headers"]:
            if name == b"content-length" and value.strip().isdigit():
                if int(value) > self.max_bytes:
                    response = JSONResponse(error.body(), status_code=413, headers=error.headers)
                    await response(scope, receive, send)
                    return

        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # FastAPI lets an HTTPException raised while reading the body through
                    # to the exception handlers (anything else would become a 400).
                    raise HTTPException(413, detail=error.body()["detail"], headers=error.headers)
            return message

        await self.app(scope, limited_receive, send)
