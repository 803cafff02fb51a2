"""Failed secret attempts per client: after too many wrong admin tokens, stop comparing them.

The JSON API and the dashboard's token sign-in both take ``HUBGUARD_ADMIN_TOKEN`` from a
caller. :class:`SecretThrottle` is the one place that compares it (in constant time) and counts
the wrong ones, per client address and over all clients together, in fixed windows that open
with a key's first failure. Once a client has reached its limit every attempt from it, right or
wrong, is refused unread (:class:`~hubguard.errors.TooManyAttemptsError`, HTTP 429) until its
window ends; a right token before that clears the client's own count.

The ceiling over all clients slows a guesser spread over many addresses. When it trips, the
token is refused for *everyone*, the right one included, until the window ends: letting right
tokens through would tell a guesser which guess was right (an oracle), so the price is that
someone who keeps guessing can keep the admin token locked. Signing in with HubSpot is not
affected.

Counts live in a :class:`FailureCounter`: this process's memory (:class:`InMemoryFailureCounter`)
for one web process, Redis (:mod:`hubguard.web.throttle_redis`) for several.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import math
import threading
from dataclasses import dataclass
from typing import Protocol

from starlette.requests import Request

from hubguard.clock import Clock, SystemClock
from hubguard.config import Secret
from hubguard.errors import TooManyAttemptsError

__all__ = [
    "DEFAULT_LIMITS",
    "FailureCounter",
    "InMemoryFailureCounter",
    "SecretThrottle",
    "Tally",
    "ThrottleLimits",
    "client_address",
]

log = logging.getLogger(__name__)

_EVERYONE = "everyone"  # the key of the count over all clients
_PRUNE_ABOVE = 1024  # keys kept before ended windows are swept out of memory


@dataclass(frozen=True)
class Tally:
    """The failures counted in a key's current window, and when that window ends (epoch s)."""

    failures: int
    ends_at: float


class FailureCounter(Protocol):
    """Failures per key, each key counted in fixed windows that open at its first failure.

    Implementations must be safe to call from many threads. Times are the caller's clock's
    ``now()`` (wall time), so several web processes sharing one implementation keep the same
    windows (:class:`hubguard.web.throttle_redis.RedisFailureCounter`).
    """

    def tally(self, key: str, now: float) -> Tally:
        """The key's current window (``Tally(0, now)`` when none is open)."""
        ...

    def add(self, key: str, now: float, window_seconds: float) -> Tally:
        """Count one failure (opening a window of ``window_seconds`` if none is open)."""
        ...

    def clear(self, key: str) -> None:
        """Forget the key's window."""
        ...


class InMemoryFailureCounter:
    """Failure windows in this process's memory (the embedded mode: one web process)."""

    def __init__(self) -> None:
        self._tallies: dict[str, Tally] = {}
        self._lock = threading.Lock()

    def tally(self, key: str, now: float) -> Tally:
        with self._lock:
            found = self._tallies.get(key)
        return found if found is not None and now < found.ends_at else Tally(0, now)

    def add(self, key: str, now: float, window_seconds: float) -> Tally:
        with self._lock:
            found = self._tallies.get(key)
            if found is None or now >= found.ends_at:
                found = Tally(0, now + window_seconds)
            counted = self._tallies[key] = Tally(found.failures + 1, found.ends_at)
            if len(self._tallies) > _PRUNE_ABOVE:
                # Each address is a key: without the sweep, guesses from ever new addresses
                # would grow memory for as long as the process runs.
                self._tallies = {k: t for k, t in self._tallies.items() if now < t.ends_at}
            return counted

    def clear(self, key: str) -> None:
        with self._lock:
            self._tallies.pop(key, None)

    def __repr__(self) -> str:
        return f"InMemoryFailureCounter(keys={len(self._tallies)})"


@dataclass(frozen=True)
class ThrottleLimits:
    """How many wrong secrets are allowed per window, from one client and from all of them."""

    per_client: int = 10
    everyone: int = 100
    window_seconds: float = 300.0


DEFAULT_LIMITS = ThrottleLimits()


class SecretThrottle:
    """Compares guesses with a secret and refuses clients (or everyone) that guessed wrong too
    often. Thread-safe if its counter is; one instance serves every route that takes the secret,
    so they share the counts."""

    def __init__(
        self,
        counter: FailureCounter | None = None,
        *,
        clock: Clock | None = None,
        limits: ThrottleLimits = DEFAULT_LIMITS,
        label: str = "admin token",
    ) -> None:
        self._counter = counter or InMemoryFailureCounter()
        self._clock = clock or SystemClock()
        self._limits = limits
        self._label = label  # names the secret in messages and logs, never its value

    def attempt(self, client: str, guess: str, secret: Secret) -> bool:
        """Whether ``guess`` is ``secret``; a wrong guess counts against ``client``.

        Raises :class:`~hubguard.errors.TooManyAttemptsError` without comparing while the client,
        or everyone, is over the limit. An empty guess (no ``Authorization`` header, an empty
        form) is wrong but not counted: it tells a guesser nothing, and a script that forgot its
        header should not lock out the people who share its address.
        """
        now = self._clock.now()
        earlier_failures = self._refuse_if_over_limit(client, now)
        if not guess:
            return False
        if hmac.compare_digest(guess.encode(), secret.reveal().encode()):
            if earlier_failures:  # most right tokens have none: no write (a Redis call) for them
                self._counter.clear(_client_key(client))
            return True
        self._count_failure(client, now)
        return False

    def _refuse_if_over_limit(self, client: str, now: float) -> int:
        """Raise while the client or everyone is over the limit; else the client's failures."""
        mine = self._counter.tally(_client_key(client), now)
        everyone = self._counter.tally(_EVERYONE, now)
        client_over = mine.failures >= self._limits.per_client
        everyone_over = everyone.failures >= self._limits.everyone
        if not (client_over or everyone_over):
            return mine.failures
        ends = [t.ends_at for t, over in ((mine, client_over), (everyone, everyone_over)) if over]
        seconds = max(1, math.ceil(max(ends) - now))
        if client_over:
            why = f"Too many wrong {self._label}s from this address"
        else:
            why = f"Too many wrong {self._label}s from many addresses; it is refused for everyone"
        raise TooManyAttemptsError(f"{why}; try again in {seconds} s", retry_after=seconds)

    def _count_failure(self, client: str, now: float) -> None:
        window = self._limits.window_seconds
        mine = self._counter.add(_client_key(client), now, window)
        everyone = self._counter.add(_EVERYONE, now, window)
        # Logged once, as a limit trips; never the guess, which may be a near miss of the secret.
        if mine.failures == self._limits.per_client:
            log.warning(
                "%d wrong %ss from %s: refusing that address for %d s",
                mine.failures,
                self._label,
                client,
                math.ceil(mine.ends_at - now),
            )
        if everyone.failures == self._limits.everyone:
            log.warning(
                "%d wrong %ss from all addresses together: refusing the %s for everyone for %d s",
                everyone.failures,
                self._label,
                self._label,
                math.ceil(everyone.ends_at - now),
            )

    def __repr__(self) -> str:
        return f"SecretThrottle(label={self._label!r}, limits={self._limits!r})"


def _client_key(client: str) -> str:
    return "client:" + client  # can never be _EVERYONE


def client_address(request: Request) -> str:
    """The address a request's guesses count against: the TCP peer, or its /64 for IPv6.

    One IPv6 subscriber (a home line, a cloud VM) gets at least a /64 and can send from any
    address in it: counted per address, a guesser could rotate through them, never reach its
    own limit and soon trip the one over everyone. An IPv4-mapped IPv6 peer counts as its IPv4.

    Behind a reverse proxy the peer is the proxy, so everyone behind it shares one count (and one
    lockout), unless uvicorn trusts the proxy's ``X-Forwarded-For`` and puts the client there:
    it does for 127.0.0.1 and ::1, others via ``FORWARDED_ALLOW_IPS``. The header is not read
    here, since any client can send one.
    """
    host = request.client.host if request.client is not None else "unknown"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host  # not an IP (a test client's name, a unix socket)
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return host
