"""HubSpot error responses -> the hubguard error tree, in ONE place.

Every part that talks to HubSpot (the API client, the OAuth client) turns a failed
``httpx.Response`` into a :class:`~hubguard.errors.HubSpotError` with :func:`error_from_response`.
Bodies follow the reference (hubspot-api.md §1.8 and §5): ``{status, message, correlationId,
category, context, errors}`` for the API, RFC 6749 ``{error, error_description}`` plus the legacy
``status: BAD_REFRESH_TOKEN`` for the OAuth token endpoints, ``{errorType: RATE_LIMIT,
policyName}`` for 429s. Every field is optional: HubSpot says so, and proxies answer with HTML.

Messages are passed through :func:`hubguard.logs.redact` and never include the request URL, so an
exception can be logged or shown without leaking a token (v1 endpoints carry tokens in the path).
"""

from __future__ import annotations

import email.utils
import json
import math
from collections.abc import Mapping
from typing import Any

import httpx

from hubguard.errors import (
    AuthenticationError,
    HubSpotError,
    HubSpotUnavailableError,
    InvalidGrantError,
    MalformedResponseError,
    MissingScopesError,
    NotFoundError,
    OAuthError,
    RateLimitedError,
)
from hubguard.logs import redact

__all__ = ["error_from_response", "parse_retry_after", "response_json", "success_json"]

_MAX_MESSAGE = 300
# RFC 6749 ``error`` codes and HubSpot's legacy ``status`` values that mean "this grant is dead".
_DEAD_GRANT = frozenset(
    {"invalid_grant", "BAD_REFRESH_TOKEN", "EXPIRED_AUTH_CODE", "BAD_AUTH_CODE"}
)


def response_json(response: httpx.Response) -> dict[str, Any]:
    """The body as a JSON object, or ``{}`` when it is empty, not JSON, or not an object."""
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError, httpx.ResponseNotRead):
        return {}
    return body if isinstance(body, dict) else {}


def success_json(response: httpx.Response) -> dict[str, Any]:
    """A 2xx body as the JSON object HubSpot documents; ``{}`` for an empty body (204).
    Anything else raises :class:`MalformedResponseError`: a half-read answer is never acted on."""
    if not response.content.strip():
        return {}
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise MalformedResponseError("HubSpot answered with a body that is not JSON") from None
    if not isinstance(body, dict):
        raise MalformedResponseError("HubSpot answered with JSON that is not an object")
    return body


MAX_RETRY_AFTER = 300.0  # HubSpot's windows are 1-10 s; its daily limit is never retried


def parse_retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """``Retry-After`` in seconds (delta-seconds or an HTTP date), or None when absent/garbled."""
    raw = headers.get("retry-after")
    if raw is None:
        return None
    raw = raw.strip()
    try:
        seconds = float(raw)
    except ValueError:
        pass
    else:
        # "inf", "nan" or a year's wait is no instruction to follow: back off as without one.
        return max(0.0, seconds) if math.isfinite(seconds) and seconds <= MAX_RETRY_AFTER else None
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    if now is None or when.tzinfo is None:
        return None
    seconds = when.timestamp() - now
    return max(0.0, seconds) if seconds <= MAX_RETRY_AFTER else None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _message(body: Mapping[str, Any], response: httpx.Response) -> str:
    text = (
        _str(body.get("message"))
        or _str(body.get("error_description"))
        or _str(body.get("error"))
        or f"HubSpot answered {response.status_code} {response.reason_phrase}".strip()
    )
    text = redact(" ".join(text.split()))
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 1] + "…"


def _missing_scopes(body: Mapping[str, Any]) -> tuple[str, ...]:
    found: list[str] = []
    contexts = [body.get("context")]
    errors = body.get("errors")
    if isinstance(errors, list):
        contexts.extend(e.get("context") for e in errors if isinstance(e, dict))
    for context in contexts:
        if not isinstance(context, dict):
            continue
        for key in ("missingScopes", "requiredGranularScopes"):
            values = context.get(key)
            if isinstance(values, list):
                found.extend(v for v in values if isinstance(v, str) and v not in found)
    return tuple(found)


def error_from_response(
    response: httpx.Response,
    *,
    portal_id: int | None = None,
    oauth: bool = False,
    now: float | None = None,
) -> HubSpotError:
    """The hubguard error for a failed HubSpot response (the caller raises it).

    ``oauth=True`` for the token endpoints: a 4xx there is an :class:`OAuthError`, and
    ``invalid_grant`` / ``BAD_REFRESH_TOKEN`` an :class:`InvalidGrantError` (the grant is dead).
    ``now`` (epoch seconds) lets an HTTP-date ``Retry-After`` be turned into seconds.
    """
    status = response.status_code
    body = response_json(response)
    context: dict[str, Any] = {
        "status": status,
        "category": _str(body.get("category")) or _str(body.get("errorType")),
        "correlation_id": _str(body.get("correlationId"))
        or response.headers.get("x-hubspot-correlation-id"),
        "portal_id": portal_id,
    }
    message = _message(body, response)
    if status == 429:
        return RateLimitedError(
            message,
            retry_after=parse_retry_after(response.headers, now),
            policy=_str(body.get("policyName")),
            **context,
        )
    if status >= 500:
        return HubSpotUnavailableError(message, **context)
    if oauth and 400 <= status < 500:
        error_code = _str(body.get("error"))
        legacy = _str(body.get("status"))
        if error_code in _DEAD_GRANT or legacy in _DEAD_GRANT:
            context["category"] = context["category"] or legacy
            return InvalidGrantError(message, error=error_code or "invalid_grant", **context)
        if status != 401 or error_code:
            context["category"] = context["category"] or legacy
            return OAuthError(message, error=error_code, **context)
    if status == 401:
        return AuthenticationError(message, **context)
    if status == 403 and context["category"] == "MISSING_SCOPES":
        return MissingScopesError(message, missing_scopes=_missing_scopes(body), **context)
    if status == 404:
        return NotFoundError(message, **context)
    return HubSpotError(message, **context)
