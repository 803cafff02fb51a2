"""``POST /webhooks/hubspot``: verify, store durably, answer 204, process later.

Nothing is parsed before the signature over the raw bytes is verified. A bad signature, a stale
or future timestamp, or a malformed body gets a 4xx and stores nothing. A verified batch is
stored in ONE transaction (``INSERT .. ON CONFLICT DO NOTHING`` on HubSpot's composite key, so
redeliveries are no-ops) before the 204; only then are workers told. If storing fails the answer
is 503, so HubSpot retries the delivery.
"""

from __future__ import annotations

import asyncio
import logging

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from hubguard.errors import InboxStorageError, MalformedEventError, SignatureError
from hubguard.inbox.events import EventStore, NewEvent
from hubguard.inbox.payload import parse_events
from hubguard.inbox.verifier import WebhookVerifier
from hubguard.inbox.worker import Dispatcher

__all__ = ["MAX_BODY_BYTES", "WEBHOOK_PATH", "webhook_router"]

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 2_000_000  # 100 events are a few tens of kB
WEBHOOK_PATH = "/webhooks/hubspot"


async def _read_capped(request: Request, limit: int) -> bytes | None:
    """The raw body, or None as soon as it grows past ``limit`` (chunked bodies included)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


class _Batcher:
    """Requests arriving together share one trip to a worker thread and one commit.

    Each request awaits a future; one drain task at a time hands every batch queued so far to
    :meth:`EventStore.add_many`, so a burst of concurrent deliveries costs one thread hop and one
    transaction instead of one each (the 204 still waits for its own batch's commit).
    """

    def __init__(self, events: EventStore) -> None:
        self._events = events
        self._pending: list[tuple[list[NewEvent], asyncio.Future[list[int]]]] = []
        self._draining = False

    async def add(self, batch: list[NewEvent]) -> list[int]:
        future: asyncio.Future[list[int]] = asyncio.get_running_loop().create_future()
        self._pending.append((batch, future))
        if not self._draining:
            self._draining = True
            asyncio.get_running_loop().create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        try:
            while self._pending:
                group, self._pending = self._pending, []
                try:
                    results = await run_in_threadpool(
                        self._events.add_many, [batch for batch, _ in group]
                    )
                except Exception as exc:  # every waiting request must get an answer
                    for _, future in group:
                        if not future.done():
                            future.set_exception(exc)
                    continue
                for (_, future), ids in zip(group, results, strict=True):
                    if not future.done():
                        future.set_result(ids)
        finally:
            self._draining = False


def webhook_router(
    verifier: WebhookVerifier,
    events: EventStore,
    dispatcher: Dispatcher,
    *,
    path: str = WEBHOOK_PATH,
    max_body_bytes: int = MAX_BODY_BYTES,
) -> APIRouter:
    """The receiver's routes, bound to its dependencies."""
    router = APIRouter()
    batcher = _Batcher(events)

    @router.post(path, status_code=204, include_in_schema=False)
    async def receive(request: Request) -> Response:
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_body_bytes:
            return JSONResponse({"error": "too_large"}, status_code=413)
        body = await _read_capped(request, max_body_bytes)
        if body is None:
            return JSONResponse({"error": "too_large"}, status_code=413)
        try:
            verifier.verify(request.method, body, request.headers, query=request.url.query)
        except SignatureError as exc:
            log.warning("webhook refused: %s", exc.reason)
            return JSONResponse({"error": exc.reason}, status_code=401)
        try:
            batch = parse_events(body)
        except MalformedEventError as exc:
            log.warning("webhook refused: %s", exc)
            return JSONResponse({"error": "malformed", "detail": str(exc)}, status_code=400)
        try:
            new_ids = await batcher.add(batch)
        except InboxStorageError as exc:
            log.error("webhook not stored, HubSpot will retry: %s", exc)
            return JSONResponse({"error": "unavailable"}, status_code=503)
        dispatcher.dispatch(new_ids)
        return Response(status_code=204)

    return router
