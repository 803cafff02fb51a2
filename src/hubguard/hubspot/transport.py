"""The retrying, pacing layer between hubguard and HubSpot: an ``httpx.BaseTransport`` wrapper.

:class:`RetryTransport` wraps the real transport (or the emulator's ``MockTransport``), so every
request on the wire, including the one retry that follows a 401 refresh, is paced by the
per-portal :class:`~hubguard.hubspot.ratelimit.RateBudget` and retried here, once.

Retry rule (what may be sent twice):

* **Safe requests** (GET, HEAD, OPTIONS, PUT, DELETE, and a PATCH or POST the caller marks
  idempotent, e.g. "set status CLOSED") are retried on 429, 5xx, timeouts and connection errors.
* **Other POST/PATCH** are retried only when HubSpot cannot have acted on them: a 429 (rejected
  before processing) and connection failures that happened before the request was sent
  (``ConnectError``, ``ConnectTimeout``, ``PoolTimeout``). A 5xx or a read timeout is ambiguous
  and is left to the caller, which may hold an idempotency guard (``post_comment`` looks for its
  own comment before sending again).
* A 429 with ``policyName: DAILY`` is not retried: the budget only resets at midnight.

Backoff is exponential with full jitter (``uniform(0, min(cap, base * 2**n))``), never shorter
than ``Retry-After``; attempts and total time are bounded. When retries run out the last
response is returned (the client maps it with :func:`~hubguard.hubspot.responses.error_from_response`)
and a transport failure becomes :class:`~hubguard.errors.HubSpotUnavailableError`: httpx
exceptions never leave this module's callers untranslated.

Per-request options travel in ``request.extensions``: ``"hubguard.portal_id"`` (int, selects the
rate budget) and ``"hubguard.idempotent"`` (bool, overrides the method default).
"""

from __future__ import annotations

import logging
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass

import httpx

from hubguard.clock import Clock, SystemClock
from hubguard.errors import HubSpotUnavailableError
from hubguard.hubspot.ratelimit import RateBudget
from hubguard.hubspot.responses import parse_retry_after, response_json

__all__ = [
    "IDEMPOTENT_EXTENSION",
    "PORTAL_EXTENSION",
    "RetryPolicy",
    "RetryTransport",
    "is_idempotent",
    "path_template",
]

log = logging.getLogger(__name__)

PORTAL_EXTENSION = "hubguard.portal_id"
IDEMPOTENT_EXTENSION = "hubguard.idempotent"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
# Failures that happened before a byte of the request reached HubSpot.
_UNSENT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Path segments that name a resource kind or an API version; everything else is an identifier.
_LITERAL_SEGMENT = re.compile(r"^(?:[a-z][a-z-]*|v\d+|\d{4}-\d{2}(?:-beta)?)$")


def path_template(path: str) -> str:
    """``/threads/123/messages/abc9`` -> ``/threads/{id}/messages/{id}``.

    The audit log is append-only and hash-chained, so it must never hold thread, message or
    actor ids (an actor id can be an email address): a privacy deletion could not erase them.
    """
    return "/".join(
        seg if not seg or _LITERAL_SEGMENT.match(seg) else "{id}" for seg in path.split("/")
    )


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try. Delays are seconds on the injected clock."""

    max_attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_total_seconds: float = 90.0
    retry_statuses: frozenset[int] = frozenset({429, 500, 502, 503, 504})
    # One answer's body: HubSpot's largest pages are a few hundred kB. httpx's timeouts apply
    # to each read, so without a deadline an answer that trickles in never ends.
    max_body_bytes: int = 16 * 1024 * 1024
    max_body_seconds: float = 60.0


class _BoundedBody(httpx.SyncByteStream):
    """A response body that fails (httpx.ReadError / ReadTimeout, so the call is "HubSpot
    unavailable") once it passes ``limit`` bytes or its ``deadline`` on ``clock``."""

    def __init__(
        self, inner: httpx.SyncByteStream, limit: int, deadline: float, clock: Clock
    ) -> None:
        self._inner, self._limit, self._deadline, self._clock = inner, limit, deadline, clock

    def __iter__(self) -> Iterator[bytes]:
        size = 0
        for chunk in self._inner:
            size += len(chunk)
            if size > self._limit:
                raise httpx.ReadError(f"HubSpot's answer passed {self._limit} bytes")
            if self._clock.monotonic() > self._deadline:
                raise httpx.ReadTimeout("HubSpot's answer took too long to arrive")
            yield chunk

    def close(self) -> None:
        self._inner.close()


def is_idempotent(request: httpx.Request) -> bool:
    """Whether sending ``request`` twice has the same effect as sending it once."""
    flag = request.extensions.get(IDEMPOTENT_EXTENSION)
    if isinstance(flag, bool):
        return flag
    return request.method.upper() in _SAFE_METHODS


class RetryTransport(httpx.BaseTransport):
    """Paces, sends and retries; see the module docstring for the rule."""

    def __init__(
        self,
        inner: httpx.BaseTransport,
        *,
        rate_budget: RateBudget | None = None,
        clock: Clock | None = None,
        rng: random.Random | None = None,
        policy: RetryPolicy | None = None,
        close_inner: bool = True,
    ) -> None:
        self._inner = inner
        self._close_inner = close_inner  # False when the inner transport is shared
        self._budget = rate_budget
        self._clock = clock or SystemClock()
        # Jitter only needs to spread callers apart; an injected seedable RNG keeps tests exact.
        self._rng = rng or random.Random()
        self.policy = policy or RetryPolicy()

    def _bounded(self, response: httpx.Response) -> httpx.Response:
        stream = response.stream
        if not isinstance(stream, httpx.SyncByteStream):
            return response
        deadline = self._clock.monotonic() + self.policy.max_body_seconds
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=_BoundedBody(stream, self.policy.max_body_bytes, deadline, self._clock),
            extensions=response.extensions,
        )

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.policy.max_delay, self.policy.base_delay * 2**attempt)
        return self._rng.uniform(0, ceiling)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        portal = request.extensions.get(PORTAL_EXTENSION)
        portal_id = portal if isinstance(portal, int) else None
        idempotent = is_idempotent(request)
        started: float | None = None
        attempt = 0
        while True:
            if self._budget is not None and portal_id is not None:
                self._budget.acquire(portal_id)
            if started is None:
                # The time bound covers retrying, not queueing for the budget before the first try.
                started = self._clock.monotonic()
            attempt += 1
            try:
                response = self._bounded(self._inner.handle_request(request))
            except httpx.TransportError as exc:
                retryable = idempotent or isinstance(exc, _UNSENT_ERRORS)
                delay = self._backoff(attempt - 1)
                if not retryable or not self._may_retry(attempt, started, delay):
                    raise HubSpotUnavailableError(
                        f"HubSpot could not be reached ({type(exc).__name__})",
                        portal_id=portal_id,
                    ) from None
                log.warning(
                    "hubspot %s %s: %s, retry %d in %.2fs",
                    request.method,
                    path_template(request.url.path),  # v1 OAuth paths carry tokens
                    type(exc).__name__,
                    attempt,
                    delay,
                )
                self._clock.sleep(delay)
                continue

            if self._budget is not None and portal_id is not None:
                self._budget.observe(portal_id, response.headers)
            wait = self._retry_delay(request, response, idempotent, attempt, portal_id)
            if wait is None or not self._may_retry(attempt, started, wait):
                return response
            log.warning(
                "hubspot %s %s answered %d, retry %d in %.2fs",
                request.method,
                path_template(request.url.path),
                response.status_code,
                attempt,
                wait,
            )
            response.close()
            self._clock.sleep(wait)

    def _retry_delay(
        self,
        request: httpx.Request,
        response: httpx.Response,
        idempotent: bool,
        attempt: int,
        portal_id: int | None,
    ) -> float | None:
        """Seconds to wait before sending again, or None when this response is final."""
        status = response.status_code
        if status not in self.policy.retry_statuses:
            return None
        if status != 429:
            return self._backoff(attempt - 1) if idempotent else None
        response.read()  # small JSON; the policy name decides whether waiting can help
        if response_json(response).get("policyName") == "DAILY":
            return None
        retry_after = parse_retry_after(response.headers, self._clock.now())
        if retry_after is not None and self._budget is not None and portal_id is not None:
            # Every thread sending for this portal waits, not only the one that was refused.
            self._budget.penalise(portal_id, retry_after)
        jitter = self._backoff(attempt - 1)
        return jitter if retry_after is None else retry_after + jitter * 0.1

    def _may_retry(self, attempt: int, started: float, delay: float) -> bool:
        if attempt >= self.policy.max_attempts:
            return False
        elapsed = self._clock.monotonic() - started
        return elapsed + delay <= self.policy.max_total_seconds

    def close(self) -> None:
        if self._close_inner:
            self._inner.close()
