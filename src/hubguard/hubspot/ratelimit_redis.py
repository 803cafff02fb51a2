"""A :class:`~hubguard.hubspot.ratelimit.RateBudget` in Redis, shared by every worker process.

Same sliding window as :class:`~hubguard.hubspot.ratelimit.InMemoryRateBudget`, kept in a sorted
set per portal (member per granted request, scored by wall time) and a small hash (learned
limit, ``blocked_until`` after a 429). Each operation is one Lua script, so "prune, count,
grant" is atomic across processes without a lock. Times come from the injected clock's
``now()`` (wall time, comparable between machines with synchronised clocks).

If Redis fails, the budget falls back to this process's own sliding window
(:class:`~hubguard.hubspot.ratelimit.InMemoryRateBudget`) for ``retry_after_seconds`` before it
tries Redis again, and logs that once: requests stay paced per process (HubSpot's own 429s,
honoured with ``Retry-After`` by the transport, cover what several processes add up to), an
inbox does not stop because a cache is down, and a Redis that hangs is not waited on for
every call.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Mapping
from typing import Any

import redis

from hubguard.clock import Clock, SystemClock
from hubguard.hubspot.ratelimit import (
    MAX_PENALTY_SECONDS,
    OAUTH_APP_LIMIT,
    InMemoryRateBudget,
    RateLimit,
)

__all__ = ["RedisRateBudget"]

log = logging.getLogger(__name__)

# KEYS: window zset, state hash. ARGV: now, default max, default interval, margin, member.
_ACQUIRE = """
local now = tonumber(ARGV[1])
local max = tonumber(redis.call('HGET', KEYS[2], 'max') or ARGV[2])
local interval = tonumber(redis.call('HGET', KEYS[2], 'interval') or ARGV[3])
local margin = tonumber(ARGV[4])
local blocked = tonumber(redis.call('HGET', KEYS[2], 'blocked_until') or '0')
if now < blocked then return tostring(blocked - now) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - interval - margin)
if redis.call('ZCARD', KEYS[1]) < max then
  redis.call('ZADD', KEYS[1], now, ARGV[5])
  redis.call('PEXPIRE', KEYS[1], math.ceil((interval + margin) * 1000) + 1000)
  return 'ok'
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return tostring(tonumber(oldest[2]) + interval + margin - now)
"""

# ARGV: now, default max, default interval, margin, new max ('' = keep), new interval,
# remaining ('' = unknown), member prefix.
_OBSERVE = """
local now = tonumber(ARGV[1])
if ARGV[5] ~= '' then redis.call('HSET', KEYS[2], 'max', ARGV[5]) end
if ARGV[6] ~= '' then redis.call('HSET', KEYS[2], 'interval', ARGV[6]) end
redis.call('PEXPIRE', KEYS[2], 86400000)
if ARGV[7] == '' then return 0 end
local max = tonumber(redis.call('HGET', KEYS[2], 'max') or ARGV[2])
local interval = tonumber(redis.call('HGET', KEYS[2], 'interval') or ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - interval - tonumber(ARGV[4]))
local unknown = (max - redis.call('ZCARD', KEYS[1])) - tonumber(ARGV[7])
for i = 1, unknown do redis.call('ZADD', KEYS[1], now, ARGV[8] .. i) end
return unknown
"""

# ARGV: until.
_PENALISE = """
local current = tonumber(redis.call('HGET', KEYS[1], 'blocked_until') or '0')
if tonumber(ARGV[1]) > current then redis.call('HSET', KEYS[1], 'blocked_until', ARGV[1]) end
redis.call('PEXPIRE', KEYS[1], 86400000)
return 0
"""


class RedisRateBudget:
    """The per-portal budget, shared through Redis by all processes of all machines."""

    def __init__(
        self,
        client: redis.Redis,
        clock: Clock | None = None,
        *,
        default: RateLimit = OAUTH_APP_LIMIT,
        margin_seconds: float = 0.25,
        prefix: str = "hubguard:rate",
        retry_after_seconds: float = 30.0,
    ) -> None:
        self._redis = client
        self._clock = clock or SystemClock()
        self._default = default
        self._margin = margin_seconds
        self._prefix = prefix
        self._acquire = client.register_script(_ACQUIRE)
        self._observe = client.register_script(_OBSERVE)
        self._penalise = client.register_script(_PENALISE)
        self._fallback = InMemoryRateBudget(
            self._clock, default=default, margin_seconds=margin_seconds
        )
        self._retry_redis_after = retry_after_seconds
        self._down_until: float | None = None  # monotonic time; None while Redis answers
        self._down_lock = threading.Lock()

    def _redis_down(self) -> bool:
        with self._down_lock:
            if self._down_until is None:
                return False
            if self._clock.monotonic() < self._down_until:
                return True
            self._down_until = None  # time to try Redis again
            return False

    def _failed(self, exc: redis.RedisError) -> None:
        with self._down_lock:
            first = self._down_until is None
            self._down_until = self._clock.monotonic() + self._retry_redis_after
        if first:
            log.warning(
                "rate budget: Redis unavailable (%s); pacing in this process for %.0f s",
                type(exc).__name__,
                self._retry_redis_after,
            )

    @classmethod
    def from_url(cls, url: str, clock: Clock | None = None, **kw: Any) -> RedisRateBudget:
        """A budget on the Redis at ``url`` (e.g. ``redis://127.0.0.1:6379/0``)."""
        return cls(redis.Redis.from_url(url), clock, **kw)

    def _keys(self, portal_id: int) -> list[str]:
        # The hash tag keeps both keys of a portal on one Redis Cluster slot.
        return [f"{self._prefix}:{{{portal_id}}}:window", f"{self._prefix}:{{{portal_id}}}:state"]

    def _defaults(self, now: float) -> list[str]:
        limit = self._default
        return [
            repr(now),
            str(limit.max_requests),
            repr(limit.interval_seconds),
            repr(self._margin),
        ]

    def acquire(self, portal_id: int) -> None:
        while True:
            if self._redis_down():
                self._fallback.acquire(portal_id)
                return
            now = self._clock.now()
            member = f"{now!r}:{secrets.token_hex(6)}"
            try:
                raw = self._acquire(keys=self._keys(portal_id), args=[*self._defaults(now), member])
            except redis.RedisError as exc:
                self._failed(exc)
                continue
            answer = raw.decode() if isinstance(raw, bytes) else str(raw)
            if answer == "ok":
                return
            self._clock.sleep(max(float(answer), 0.001))

    def observe(self, portal_id: int, headers: Mapping[str, str]) -> None:
        max_raw = headers.get("x-hubspot-ratelimit-max") or ""
        interval_raw = headers.get("x-hubspot-ratelimit-interval-milliseconds") or ""
        remaining = headers.get("x-hubspot-ratelimit-remaining") or ""
        if not all(v.isdigit() for v in (max_raw, interval_raw, remaining) if v):
            return  # a garbled header must not break the call that carried it
        interval = repr(int(interval_raw) / 1000) if interval_raw else ""
        now = self._clock.now()
        args = [
            *self._defaults(now),
            max_raw,
            interval,
            remaining,
            f"x:{now!r}:{secrets.token_hex(6)}:",
        ]
        if self._redis_down():
            self._fallback.observe(portal_id, headers)
            return
        try:
            self._observe(keys=self._keys(portal_id), args=args)
        except redis.RedisError as exc:
            self._failed(exc)
            self._fallback.observe(portal_id, headers)

    def penalise(self, portal_id: int, retry_after: float) -> None:
        if self._redis_down():
            self._fallback.penalise(portal_id, retry_after)
            return
        until = self._clock.now() + min(max(0.0, retry_after), MAX_PENALTY_SECONDS)
        try:
            self._penalise(keys=self._keys(portal_id)[1:], args=[repr(until)])
        except redis.RedisError as exc:
            self._failed(exc)
            self._fallback.penalise(portal_id, retry_after)

    def limit_for(self, portal_id: int) -> RateLimit:
        """The limit currently applied to ``portal_id`` (learned from headers or the default)."""
        state: dict[Any, Any] = self._redis.hgetall(self._keys(portal_id)[1])
        max_raw = state.get(b"max")
        interval_raw = state.get(b"interval")
        return RateLimit(
            int(max_raw) if max_raw else self._default.max_requests,
            float(interval_raw) if interval_raw else self._default.interval_seconds,
        )

    def reset(self, portal_id: int) -> None:
        """Forget a portal's window and learned limit (tests, or after an uninstall)."""
        self._redis.delete(*self._keys(portal_id))

    def __repr__(self) -> str:
        return f"RedisRateBudget(prefix={self._prefix!r}, default={self._default!r})"
