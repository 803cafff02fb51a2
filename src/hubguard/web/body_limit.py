"""A cap on request bodies, enforced before any route reads or parses one.

FastAPI reads and parses a JSON body before it resolves dependencies, the admin-token check
included, so without a cap anyone could make the process read and parse hundreds of megabytes,
stalling the event loop that also answers HubSpot's webhooks (which must get their 204 within
5 s). Routes with bodies of their own size (the webhook receiver caps at 2 MB) are exempt.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["MAX_REQUEST_BYTES", "BodySizeLimit"]

MAX_REQUEST_BYTES = 64 * 1024  # the largest form or API body hubguard takes is under 2 kB


class BodySizeLimit:
    """Pure ASGI middleware: a body over ``limit`` bytes (declared, or counted as it arrives,
    chunked included) gets 413 and never reaches the app; a body within it is buffered and
    handed on unchanged."""

    def __init__(self, app: ASGIApp, *, limit: int, exempt: Iterable[str] = ()) -> None:
        self._app = app
        self._limit = limit
        self._exempt = frozenset(exempt)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self._exempt:
            await self._app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self._limit:
            await self._refuse(send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away before sending its body
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self._limit:
                await self._refuse(send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        pending: list[Message] = [{"type": "http.request", "body": b"".join(chunks)}]

        async def replay() -> Message:
            # The body once, then the real channel (a disconnect, for routes that wait on one).
            return pending.pop() if pending else await receive()

        await self._app(scope, replay, send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"detail": f"request body larger than {self._limit} bytes"}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
