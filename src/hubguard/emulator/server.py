"""Serving the emulator over real HTTP: a tiny ASGI adapter, a background runner, ``serve``.

The adapter turns each ASGI request into an ``httpx.Request`` and runs :meth:`Emulator.handle`
in a worker thread (it may wait on a latency fault). A delivery thread POSTs due webhook batches
every ``poll`` seconds, so in served mode webhooks arrive on their own; advancing the clock via
``POST /_emulator/clock`` makes retries due.
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from contextlib import contextmanager
from typing import Any

import anyio.to_thread
import httpx
import uvicorn

from hubguard.emulator.core import Emulator
from hubguard.serving import background_server, listening_socket

__all__ = ["EmulatorASGI", "running", "serve"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class EmulatorASGI:
    """An ASGI app over an :class:`Emulator`."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        body = bytearray()
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]
        host = next((v for k, v in headers if k.lower() == "host"), "127.0.0.1")
        query = scope.get("query_string", b"").decode("latin-1")
        url = f"{scope.get('scheme', 'http')}://{host}{scope.get('raw_path', b'').decode('latin-1') or scope['path']}"
        if query and "?" not in url:
            url += "?" + query
        request = httpx.Request(scope["method"], url, headers=headers, content=bytes(body))
        response = await anyio.to_thread.run_sync(self.emulator.handle, request)
        await send(
            {
                "type": "http.response.start",
                "status": response.status_code,
                "headers": [
                    (k.encode("latin-1"), v.encode("latin-1"))
                    for k, v in response.headers.multi_items()
                    if k.lower() != "content-length"
                ]
                + [(b"content-length", str(len(response.content)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": response.content})


def _deliver_forever(emulator: Emulator, stop: threading.Event, poll: float) -> None:
    while not stop.wait(poll):
        emulator.run_due_deliveries()


@contextmanager
def running(emulator: Emulator, port: int = 0, *, poll: float = 0.05) -> Iterator[str]:
    """Serve ``emulator`` on 127.0.0.1 in background threads; yields its base URL."""
    with background_server(EmulatorASGI(emulator), port=port, lifespan="off") as bound_port:
        stop = threading.Event()
        deliverer = threading.Thread(
            target=_deliver_forever, args=(emulator, stop, poll), daemon=True
        )
        deliverer.start()
        try:
            yield f"http://127.0.0.1:{bound_port}"
        finally:
            stop.set()
            deliverer.join(timeout=10)


def serve(
    emulator: Emulator, host: str = "127.0.0.1", port: int = 8025, *, poll: float = 0.2
) -> None:
    """Serve in the foreground until interrupted (``hubguard emulator serve``)."""
    stop = threading.Event()
    deliverer = threading.Thread(target=_deliver_forever, args=(emulator, stop, poll), daemon=True)
    deliverer.start()
    sock = listening_socket(host, port)
    server = uvicorn.Server(
        uvicorn.Config(EmulatorASGI(emulator), log_level="info", lifespan="off")
    )
    try:
        server.run(sockets=[sock])
    finally:
        stop.set()
        deliverer.join(timeout=10)
        sock.close()
