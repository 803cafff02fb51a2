"""Per-portal rate budget: keep callers under HubSpot's limit instead of bouncing off it.

HubSpot allows an OAuth app 110 requests per rolling 10 s per installed portal (service keys:
100 or 190 by tier, hubspot-api.md §5). :class:`RateBudget` is the seam: ``acquire`` before each
request, ``observe`` the ``X-HubSpot-RateLimit-*`` headers of each response, ``penalise`` after a
429. Nothing else in hubguard knows how the budget is kept, so a Redis implementation (a sorted
set per portal, trimmed and counted in one Lua script) can replace :class:`InMemoryRateBudget`
when several worker processes share one portal's budget.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from hubguard.clock import Clock, SystemClock

__all__ = [
    "OAUTH_APP_LIMIT",
    "SERVICE_KEY_LIMITS",
    "InMemoryRateBudget",
    "RateBudget",
    "RateLimit",
]


@dataclass(frozen=True)
class RateLimit:
    """``max_requests`` per rolling ``interval_seconds``."""

    max_requests: int
    interval_seconds: float


OAUTH_APP_LIMIT = RateLimit(110, 10.0)
# Service keys follow the privately distributed app limits, which depend on the portal's tier.
SERVICE_KEY_LIMITS: Mapping[str, RateLimit] = {
    "free": RateLimit(100, 10.0),
    "starter": RateLimit(100, 10.0),
    "professional": RateLimit(190, 10.0),
    "enterprise": RateLimit(190, 10.0),
    "api_limit_increase": RateLimit(250, 10.0),
}


@runtime_checkable
class RateBudget(Protocol):
    """How many requests a portal may still send. Implementations must be thread-safe."""

    def acquire(self, portal_id: int) -> None:
        """Wait (on the injected clock) until one more request for ``portal_id`` may go."""
        ...

    def observe(self, portal_id: int, headers: Mapping[str, str]) -> None:
        """Learn from a response's ``X-HubSpot-RateLimit-*`` headers (case-insensitive map)."""
        ...

    def penalise(self, portal_id: int, retry_after: float) -> None:
        """HubSpot said 429: send nothing for this portal for ``retry_after`` seconds."""
        ...


@dataclass
class _Window:
    limit: RateLimit
    sent: deque[float] = field(default_factory=deque)  # monotonic times of granted requests
    blocked_until: float = 0.0


MAX_PENALTY_SECONDS = 300.0  # a 429's Retry-After holds a portal's calls at most this long


class InMemoryRateBudget:
    """A sliding-window budget per portal, for the threads of one process.

    Every grant is remembered for one interval; a caller waits while the window is full. Two
    safety measures keep us under HubSpot's own window, which starts counting a request only
    when it arrives (later than we granted it): the window is ``margin_seconds`` longer than
    HubSpot's, and when a response shows fewer requests remaining than we believe (another
    process, another app) the difference is booked as sent "now".
    """

    def __init__(
        self,
        clock: Clock | None = None,
        *,
        default: RateLimit = OAUTH_APP_LIMIT,
        margin_seconds: float = 0.25,
    ) -> None:
        self._clock = clock or SystemClock()
        self._default = default
        self._margin = margin_seconds
        self._windows: dict[int, _Window] = {}
        self._lock = threading.Lock()

    def _window(self, portal_id: int) -> _Window:
        window = self._windows.get(portal_id)
        if window is None:
            window = self._windows[portal_id] = _Window(self._default)
        return window

    def _prune(self, window: _Window, now: float) -> None:
        horizon = now - window.limit.interval_seconds - self._margin
        while window.sent and window.sent[0] <= horizon:
            window.sent.popleft()

    def acquire(self, portal_id: int) -> None:
        while True:
            with self._lock:
                now = self._clock.monotonic()
                window = self._window(portal_id)
                self._prune(window, now)
                if now < window.blocked_until:
                    wait = window.blocked_until - now
                elif len(window.sent) < window.limit.max_requests:
                    window.sent.append(now)
                    return
                else:
                    oldest = window.sent[0]
                    wait = oldest + window.limit.interval_seconds + self._margin - now
            # Sleep outside the lock so other portals (and observe/penalise) are not held up.
            self._clock.sleep(max(wait, 0.001))

    def observe(self, portal_id: int, headers: Mapping[str, str]) -> None:
        max_raw = headers.get("x-hubspot-ratelimit-max")
        interval_raw = headers.get("x-hubspot-ratelimit-interval-milliseconds")
        remaining_raw = headers.get("x-hubspot-ratelimit-remaining")
        try:
            max_requests = int(max_raw) if max_raw else None
            interval = int(interval_raw) / 1000 if interval_raw else None
            remaining = int(remaining_raw) if remaining_raw else None
        except ValueError:
            return  # a garbled header must not break the call that carried it
        if (max_requests is not None and max_requests <= 0) or (
            interval is not None and interval <= 0
        ):
            return  # nonsense (a negative limit) would stop pacing, or stop every call
        if remaining is not None:
            remaining = max(0, remaining)  # at most a window's worth is booked below
        with self._lock:
            window = self._window(portal_id)
            if max_requests or interval:
                window.limit = RateLimit(
                    max_requests or window.limit.max_requests,
                    interval or window.limit.interval_seconds,
                )
            if remaining is None:
                return
            now = self._clock.monotonic()
            self._prune(window, now)
            believed = window.limit.max_requests - len(window.sent)
            # Requests we do not know about used the budget: book them so we slow down too.
            for _ in range(max(0, believed - remaining)):
                window.sent.append(now)

    def penalise(self, portal_id: int, retry_after: float) -> None:
        with self._lock:
            window = self._window(portal_id)
            until = self._clock.monotonic() + min(max(0.0, retry_after), MAX_PENALTY_SECONDS)
            window.blocked_until = max(window.blocked_until, until)

    def limit_for(self, portal_id: int) -> RateLimit:
        """The limit currently applied to ``portal_id`` (learned from headers or the default)."""
        with self._lock:
            return self._window(portal_id).limit

    def __repr__(self) -> str:
        return f"InMemoryRateBudget(default={self._default!r})"
