"""HubSpot's rate limits (reference §5): a rolling 10 s window and, for service keys, a daily cap.

OAuth tokens: 110 requests per 10 s per app per portal, no daily limit, no ``-Daily`` headers.
Service keys: the tier's 10 s limit per key plus the portal's daily limit (shared), which resets
at midnight UTC on the emulator clock (HubSpot uses the account's time zone). The deprecated
``-Secondly`` headers are sent but not enforced.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from hubguard.emulator.routing import Call, Principal
from hubguard.emulator.wire import HubSpotReply, json_response

__all__ = ["RateLimiter", "tier_limits"]

WINDOW_SECONDS = 10.0
OAUTH_LIMIT = 110
TIER_LIMITS: Mapping[str, tuple[int, int]] = MappingProxyType(
    {
        "free": (100, 250_000),
        "starter": (100, 250_000),
        "professional": (190, 625_000),
        "enterprise": (190, 1_000_000),
    }
)
TIERS = tuple(TIER_LIMITS)


def tier_limits(
    tier: str, api_limit_increase: bool, table: Mapping[str, tuple[int, int]] = TIER_LIMITS
) -> tuple[int, int]:
    """(per 10 s, per day) for a service key on a portal of this tier."""
    burst, daily = table[tier]
    if api_limit_increase:
        return 250, daily + 1_000_000
    return burst, daily


@dataclass(frozen=True)
class Budget:
    """The limits that apply to one principal."""

    burst: int
    daily: int | None


class RateLimiter:
    """Counts requests per principal; answers 429 with HubSpot's body when over."""

    def __init__(self, retry_after_header: bool) -> None:
        self._windows: dict[str, deque[float]] = {}
        self._daily: dict[tuple[int, int], int] = {}  # (portal, day number) -> count
        self._retry_after = retry_after_header

    def check(self, call: Call, principal: Principal, budget: Budget) -> dict[str, str]:
        """Count this request, or raise a 429 reply. Returns the rate-limit headers to send."""
        window = self._windows.setdefault(principal.rate_key, deque())
        while window and window[0] <= call.now - WINDOW_SECONDS:
            window.popleft()
        day = (principal.portal_id, int(call.now // 86_400))
        used_today = self._daily.get(day, 0)
        last_second = _count_since(window, call.now - 1)
        if budget.daily is not None and used_today >= budget.daily:
            wait = 86_400 - call.now % 86_400
            raise self._too_many(
                call,
                "DAILY",
                "You have reached your daily limit.",
                wait,
                budget,
                used_today,
                last_second,
            )
        if len(window) >= budget.burst:
            wait = window[0] + WINDOW_SECONDS - call.now
            raise self._too_many(
                call,
                "TEN_SECONDLY_ROLLING",
                "You have reached your ten_secondly_rolling limit.",
                wait,
                budget,
                used_today,
                last_second,
            )
        window.append(call.now)
        if budget.daily is not None:
            self._daily[day] = used_today + 1
        return self._headers(budget, len(window), used_today + 1, last_second + 1)

    @staticmethod
    def _headers(budget: Budget, used: int, used_today: int, last_second: int) -> dict[str, str]:
        # reference §5: -Secondly is deprecated and not enforced but still sent. How HubSpot
        # computes it is UNCONFIRMED: here it is the 10 s limit per second, and what is left of
        # that in the last second.
        per_second = int(budget.burst // WINDOW_SECONDS)
        headers = {
            "X-HubSpot-RateLimit-Interval-Milliseconds": str(int(WINDOW_SECONDS * 1000)),
            "X-HubSpot-RateLimit-Max": str(budget.burst),
            "X-HubSpot-RateLimit-Remaining": str(max(0, budget.burst - used)),
            "X-HubSpot-RateLimit-Secondly": str(per_second),
            "X-HubSpot-RateLimit-Secondly-Remaining": str(max(0, per_second - last_second)),
        }
        if budget.daily is not None:  # HubSpot sends no daily headers to OAuth callers
            headers["X-HubSpot-RateLimit-Daily"] = str(budget.daily)
            headers["X-HubSpot-RateLimit-Daily-Remaining"] = str(max(0, budget.daily - used_today))
        return headers

    def _too_many(
        self,
        call: Call,
        policy: str,
        message: str,
        wait: float,
        budget: Budget,
        used_today: int,
        last_second: int,
    ) -> HubSpotReply:
        body = {
            "status": "error",
            "message": message,
            "errorType": "RATE_LIMIT",
            "correlationId": call.correlation_id,
            "policyName": policy,
            "requestId": call.correlation_id,
        }
        headers = {"x-hubspot-correlation-id": call.correlation_id}
        headers.update(self._headers(budget, budget.burst, used_today, last_second))
        if self._retry_after:  # UNCONFIRMED for HubSpot; switch off with retry_after_header=False
            headers["Retry-After"] = str(max(1, math.ceil(wait)))
        return HubSpotReply(json_response(429, body, headers))


def _count_since(window: deque[float], cutoff: float) -> int:
    """How many timestamps in ``window`` (oldest first) are later than ``cutoff``."""
    count = 0
    for stamp in reversed(window):
        if stamp <= cutoff:
            break
        count += 1
    return count
