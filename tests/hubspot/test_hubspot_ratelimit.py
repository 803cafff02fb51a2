"""The RateBudget contract, on every backend (in-process and Redis), driven by a FakeClock."""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from hubguard.clock import FakeClock
from hubguard.config import Secret
from hubguard.hubspot.ratelimit import OAUTH_APP_LIMIT, InMemoryRateBudget, RateBudget, RateLimit
from hubguard.hubspot.ratelimit_redis import RedisRateBudget
from hubguard.services import redis_client

REDIS_URL = "redis://127.0.0.1:6379/0"
Budget = InMemoryRateBudget | RedisRateBudget
MakeBudget = Callable[..., Budget]


@pytest.fixture(params=["memory", "redis"])
def make_budget(request: pytest.FixtureRequest, clock: FakeClock) -> Iterator[MakeBudget]:
    """A budget factory for the backend under test: ``make_budget(at=clock, default=...)``."""
    if request.param == "memory":

        def make_memory(at: FakeClock | None = None, **kw: Any) -> Budget:
            return InMemoryRateBudget(at or clock, **kw)

        yield make_memory
        return
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError:
        # Same rule as tests/conftest.py's service_missing: skip locally, fail under CI.
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Redis at {REDIS_URL} is not reachable, and CI=true requires it")
        pytest.skip(f"Redis at {REDIS_URL} is not reachable")
    prefix = "hubguard-test:" + secrets.token_hex(6)

    def make(at: FakeClock | None = None, **kw: Any) -> Budget:
        return RedisRateBudget(client, at or clock, prefix=prefix, **kw)

    yield make
    for key in client.scan_iter(prefix + ":*"):
        client.delete(key)
    client.close()


def _grant_times(budget: Budget, clock: FakeClock, portal: int, n: int) -> list[float]:
    times = []
    for _ in range(n):
        budget.acquire(portal)
        times.append(clock.monotonic())
    return times


def test_is_a_rate_budget(make_budget: MakeBudget) -> None:
    assert isinstance(make_budget(), RateBudget)


def test_first_window_goes_at_once_then_paces_by_interval(
    clock: FakeClock, make_budget: MakeBudget
) -> None:
    budget = make_budget(default=RateLimit(110, 10.0), margin_seconds=0.25)
    start = clock.monotonic()
    times = _grant_times(budget, clock, 1, 330)
    offsets = [t - start for t in times]
    assert offsets[:110] == [0.0] * 110
    assert all(abs(o - 10.25) < 0.01 for o in offsets[110:220])
    assert all(abs(o - 20.5) < 0.01 for o in offsets[220:330])
    # Never more than 110 grants inside any 10 s window.
    for i in range(len(times) - 110):
        assert times[i + 110] - times[i] > 10.0


def test_portals_have_separate_budgets(clock: FakeClock, make_budget: MakeBudget) -> None:
    budget = make_budget(default=RateLimit(2, 10.0))
    _grant_times(budget, clock, 1, 2)
    before = clock.monotonic()
    budget.acquire(2)
    assert clock.monotonic() == before


def test_headers_teach_the_limit_and_foreign_usage(
    clock: FakeClock, make_budget: MakeBudget
) -> None:
    budget = make_budget()
    budget.observe(
        7,
        {
            "x-hubspot-ratelimit-max": "190",
            "x-hubspot-ratelimit-interval-milliseconds": "10000",
            "x-hubspot-ratelimit-remaining": "185",
        },
    )
    assert budget.limit_for(7) == RateLimit(190, 10.0)
    # HubSpot counted 5 requests we never made (another process): they are booked as ours.
    start = clock.monotonic()
    _grant_times(budget, clock, 7, 185)
    assert clock.monotonic() == start
    budget.acquire(7)
    assert clock.monotonic() > start + 10


def test_garbled_headers_are_ignored(make_budget: MakeBudget) -> None:
    budget = make_budget()
    budget.observe(7, {"x-hubspot-ratelimit-max": "lots"})
    assert budget.limit_for(7) == OAUTH_APP_LIMIT


def test_penalise_blocks_the_portal(clock: FakeClock, make_budget: MakeBudget) -> None:
    budget = make_budget()
    start = clock.monotonic()
    budget.penalise(3, 4.0)
    budget.acquire(3)
    assert clock.monotonic() - start >= 4.0


class _WouldWaitError(Exception):
    """Raised by a clock whose time never moves, when a caller would have to wait."""


class _FrozenClock(FakeClock):
    def sleep(self, seconds: float) -> None:
        raise _WouldWaitError


def test_concurrent_callers_never_overbook(make_budget: MakeBudget, clock: FakeClock) -> None:
    """8 threads race for one window: exactly ``max_requests`` are granted, never one more."""
    frozen = _FrozenClock(clock.now())
    budget = make_budget(at=frozen, default=RateLimit(50, 10.0))  # time stands still
    granted = [0]
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def worker() -> None:
        barrier.wait()
        try:
            while True:
                budget.acquire(1)
                with lock:
                    granted[0] += 1
        except _WouldWaitError:
            return

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert granted[0] == 50


def test_a_redis_that_hangs_is_left_for_a_while_and_pacing_goes_on_in_process(
    clock: FakeClock,
) -> None:
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted: list[socket.socket] = []

    def accept_and_never_answer() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            accepted.append(conn)

    threading.Thread(target=accept_and_never_answer, daemon=True).start()
    port = listener.getsockname()[1]
    client = redis_client(Secret(f"redis://127.0.0.1:{port}/0"))  # the one hubguard builds
    budget = RedisRateBudget(client, clock, default=RateLimit(5, 10.0), retry_after_seconds=30)
    try:
        budget.acquire(1)  # Redis times out once; the process's own window grants it
        tried = len(accepted)
        assert tried >= 1
        times = _grant_times(budget, clock, 1, 9)  # 10 in all, 5 per 10 s: still paced
        assert times[-1] - times[0] >= 10.0
        assert len(accepted) == tried  # Redis left alone meanwhile, not waited on per call
        clock.advance(31)
        budget.acquire(2)
        assert len(accepted) > tried  # tried again once the pause is over
    finally:
        client.close()
        listener.close()
        for conn in accepted:
            conn.close()
