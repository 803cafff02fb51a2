"""HubSpot's wire format as the emulator speaks it: timestamps, error bodies, the early-exit reply.

Every error the emulator sends is built here, so bodies and headers stay HubSpot-shaped in one
place: ``{status, message, correlationId, category, ...}`` plus an ``x-hubspot-correlation-id``
header (reference §1.8 and §5).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

__all__ = [
    "HubSpotReply",
    "batch_response",
    "error_body",
    "iso",
    "json_response",
    "oauth_error",
    "validation_error",
]

JsonObj = dict[str, Any]


def iso(epoch_seconds: float) -> str:
    """ISO-8601 with milliseconds and ``Z``, as every HubSpot v3 timestamp."""
    moment = datetime.fromtimestamp(epoch_seconds, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_iso(text: str) -> float | None:
    """Epoch seconds from an ISO-8601 timestamp (``Z`` or offset), or None when malformed."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def json_response(
    status: int, body: Any, headers: Mapping[str, str] | None = None
) -> httpx.Response:
    """A JSON response with HubSpot's compact encoding."""
    content = json.dumps(body, separators=(",", ":")).encode()
    all_headers = {"content-type": "application/json;charset=utf-8", **(headers or {})}
    return httpx.Response(status, content=content, headers=all_headers)


class HubSpotReply(Exception):  # noqa: N818 - a control-flow signal, not an error
    """Raised inside a handler to answer at once with ``response`` (an error, usually).

    The dispatcher catches exactly this type; any other exception is a bug and propagates.
    """

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def error_body(
    message: str,
    category: str,
    correlation_id: str,
    *,
    context: Mapping[str, list[str]] | None = None,
    errors: list[JsonObj] | None = None,
    sub_category: str | None = None,
    links: Mapping[str, str] | None = None,
) -> JsonObj:
    """HubSpot's standard error body (reference §5, [SPEC] ``Error``)."""
    body: JsonObj = {
        "status": "error",
        "message": message,
        "correlationId": correlation_id,
        "category": category,
    }
    if sub_category:
        body["subCategory"] = sub_category
    if context:
        body["context"] = dict(context)
    if errors:
        body["errors"] = errors
    if links:
        body["links"] = dict(links)
    return body


def batch_response(
    results: list[JsonObj], missing: list[str], now: float, what: str, correlation_id: str
) -> httpx.Response:
    """A batch endpoint's answer: 200 ``COMPLETE`` with the results, or 207 with them and one
    ``OBJECT_NOT_FOUND`` error naming the ids not found (reference §4.1, §5)."""
    stamp = iso(now)
    out: JsonObj = {
        "status": "COMPLETE",
        "results": results,
        "startedAt": stamp,
        "completedAt": stamp,
    }
    if not missing:
        return json_response(200, out)
    error = error_body(
        f"Could not find {what}", "OBJECT_NOT_FOUND", correlation_id, context={"ids": missing}
    )
    error.update(errors=[], links={})  # required in StandardError, even when empty
    out.update(numErrors=len(missing), errors=[error])
    return json_response(207, out)


def error_response(
    status: int,
    body: JsonObj,
    correlation_id: str,
    headers: Mapping[str, str] | None = None,
) -> httpx.Response:
    """An error response carrying ``x-hubspot-correlation-id``."""
    return json_response(
        status, body, {"x-hubspot-correlation-id": correlation_id, **(headers or {})}
    )


def validation_error(
    message: str, correlation_id: str, *, field: str | None = None, status: int = 400
) -> HubSpotReply:
    """A 400 ``VALIDATION_ERROR`` reply, naming the offending field when known."""
    errors = [{"message": message, "in": field}] if field else None
    body = error_body(message, "VALIDATION_ERROR", correlation_id, errors=errors)
    return HubSpotReply(error_response(status, body, correlation_id))


def not_found(message: str, correlation_id: str) -> HubSpotReply:
    """A 404 ``OBJECT_NOT_FOUND`` reply (the category is UNCONFIRMED for HubSpot, §5)."""
    body = error_body(message, "OBJECT_NOT_FOUND", correlation_id)
    return HubSpotReply(error_response(404, body, correlation_id))


def oauth_error(
    error: str, status_code: str, description: str, correlation_id: str, *, http_status: int = 400
) -> HubSpotReply:
    """The standardised OAuth error body (reference §1.8): RFC 6749 fields plus legacy ones."""
    body: JsonObj = {
        "error": error,
        "error_description": description,
        "status": status_code,
        "message": description,
        "correlationId": correlation_id,
    }
    return HubSpotReply(error_response(http_status, body, correlation_id))
