"""A synchronous httpx client over an ASGI app, without starlette's deprecated TestClient.

One event loop runs in a background thread (anyio's blocking portal) for the client's life.
"""

from __future__ import annotations

from typing import Any

import anyio.from_thread
import httpx


class SyncASGITransport(httpx.BaseTransport):
    def __init__(self, app: Any, client: tuple[str, int] = ("127.0.0.1", 123)) -> None:
        self._inner = httpx.ASGITransport(app=app, client=client)  # the app's request.client
        self._cm = anyio.from_thread.start_blocking_portal()
        self._portal = self._cm.__enter__()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()

        async def send() -> httpx.Response:
            inner = httpx.Request(
                request.method, request.url, headers=request.headers, content=body
            )
            response = await self._inner.handle_async_request(inner)
            content = await response.aread()
            await response.aclose()
            return httpx.Response(
                response.status_code, headers=response.headers, content=content, request=request
            )

        return self._portal.call(send)

    def close(self) -> None:
        self._cm.__exit__(None, None, None)


def asgi_client(
    app: Any, base_url: str, client: tuple[str, int] = ("127.0.0.1", 123)
) -> httpx.Client:
    """A client whose requests reach ``app`` as if sent from ``client`` (address, port)."""
    return httpx.Client(transport=SyncASGITransport(app, client), base_url=base_url)
