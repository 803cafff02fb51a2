"""``POST /webhooks/hubspot``: verify, store durably, answer 204, process later.

Nothing is parsed before the signature over the raw bytes is verified. A bad signature, a stale
or future timestamp, or a malformed body gets a 4xx and stores nothing. A verified batch is
stored in ONE transaction (``INSERT .. ON CONFLICT DO NOTHING`` on HubSpot's composite key, so
redeliveries are no-ops) before the 204; only then are workers told. If storing fails the answer
is 503, so HubSpot retries the delivery.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from hubguard.errors import InboxStorageError, MalformedEventError, SignatureError
from hubguard.inbox.events import EventStore
from hubguard.inbox.payload import parse_events
from hubguard.inbox.verifier import WebhookVerifier
from hubguard.inbox.worker import Dispatcher

__all__ = ["MAX_BODY_BYTES", "webhook_router"]

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 2_000_000  # 100 events are a few tens of kB


def webhook_router(
    verifier: WebhookVerifier,
    events: EventStore,
    dispatcher: Dispatcher,
    *,
    path: str = "/webhooks/hubspot",
    max_body_bytes: int = MAX_BODY_BYTES,
) -> APIRouter:
    """The receiver's routes, bound to its dependencies."""
    router = APIRouter()

    @router.post(path, status_code=204, include_in_schema=False)
    async def receive(request: Request) -> Response:
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_body_bytes:
            return JSONResponse({"error": "too_large"}, status_code=413)
        body = await request.body()
        if len(body) > max_body_bytes:
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
            new_ids = await run_in_threadpool(events.add, batch)
        except InboxStorageError as exc:
            log.error("webhook not stored, HubSpot will retry: %s", exc)
            return JSONResponse({"error": "unavailable"}, status_code=503)
        dispatcher.dispatch(new_ids)
        return Response(status_code=204)

    return router
