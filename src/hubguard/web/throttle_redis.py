"""A :class:`~hubguard.web.throttle.FailureCounter` in Redis, shared by every web process.

In the scale-out mode several ``serve`` processes answer the API and the dashboard; with
per-process counts a guesser would get the limits once per process. Here each key's window is
one Redis hash (``failures``, ``ends_at``), counted by one Lua script so "open a window or add
to it" is atomic across processes, and expiring with its window. Times are the caller's clock's
``now()`` (wall time, comparable between machines with synchronised clocks).

If Redis cannot be reached, counting falls back to this process's memory (and logs a warning
once per outage) rather than failing open: guesses stay throttled, per process, while a cache is
down, and the admin API keeps working.
"""

from __future__ import annotations

import logging

import redis

from hubguard.web.throttle import InMemoryFailureCounter, Tally

__all__ = ["RedisFailureCounter"]

log = logging.getLogger(__name__)

# KEYS: the key's hash. ARGV: now, window seconds. Returns {failures, ends_at}.
_ADD = """
local now = tonumber(ARGV[1])
local ends = tonumber(redis.call('HGET', KEYS[1], 'ends_at') or '0')
if now >= ends then
  ends = now + tonumber(ARGV[2])
  redis.call('HSET', KEYS[1], 'failures', 0, 'ends_at', tostring(ends))
end
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
redis.call('PEXPIRE', KEYS[1], math.ceil((ends - now) * 1000) + 1000)
return {failures, tostring(ends)}
"""


class RedisFailureCounter:
    """Failure windows in Redis under ``prefix``; this process's memory while Redis is down."""

    def __init__(self, client: redis.Redis, *, prefix: str = "hubguard:throttle") -> None:
        self._client = client
        self._prefix = prefix
        self._add = client.register_script(_ADD)
        self._fallback = InMemoryFailureCounter()
        self._down = False

    def tally(self, key: str, now: float) -> Tally:
        try:
            failures, ends_at = self._client.hmget(self._key(key), ["failures", "ends_at"])
        except redis.RedisError as exc:
            return self._unreachable(exc).tally(key, now)
        self._down = False
        if failures is None or ends_at is None or now >= float(ends_at):
            return Tally(0, now)
        return Tally(int(failures), float(ends_at))

    def add(self, key: str, now: float, window_seconds: float) -> Tally:
        try:
            failures, ends_at = self._add(keys=[self._key(key)], args=[now, window_seconds])
        except redis.RedisError as exc:
            return self._unreachable(exc).add(key, now, window_seconds)
        self._down = False
        return Tally(int(failures), float(ends_at))

    def clear(self, key: str) -> None:
        self._fallback.clear(key)
        try:
            self._client.delete(self._key(key))
        except redis.RedisError as exc:
            self._unreachable(exc)

    def _key(self, key: str) -> str:
        return f"{self._prefix}:{key}"

    def _unreachable(self, exc: redis.RedisError) -> InMemoryFailureCounter:
        if not self._down:
            log.warning(
                "throttle counts unavailable in Redis (%s): counting in this process",
                type(exc).__name__,
            )
            self._down = True
        return self._fallback

    def __repr__(self) -> str:
        return f"RedisFailureCounter(prefix={self._prefix!r})"
