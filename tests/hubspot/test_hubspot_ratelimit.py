"""The sliding-window budget, driven by a FakeClock (no sleeping)."""

from __future__ import annotations

import threading

from hubguard.clock import FakeClock
from hubguard.hubspot.ratelimit import InMemoryRateBudget, RateBudget, RateLimit


def _grant_times(budget: InMemoryRateBudget, clock: FakeClock, portal: int, n: int) -> list[float]:
    times = []
    for _ in range(n):
        budget.acquire(portal)
        times.append(clock.monotonic())
    return times


def test_is_a_rate_budget() -> None:
    assert isinstance(InMemoryRateBudget(FakeClock()), RateBudget)


def test_first_window_goes_at_once_then_paces_by_interval(clock: FakeClock) -> None:
    budget = InMemoryRateBudget(clock, default=RateLimit(110, 10.0), margin_seconds=0.25)
    start = clock.monotonic()
    times = _grant_times(budget, clock, 1, 330)
    offsets = [t - start for t in times]
    assert offsets[:110] == [0.0] * 110
    assert all(abs(o - 10.25) < 0.01 for o in offsets[110:220])
    assert all(abs(o - 20.5) < 0.01 for o in offsets[220:330])
    # Never more than 110 grants inside any 10 s window.
    for i in range(len(times) - 110):
        assert times[i + 110] - times[i] > 10.0


def test_portals_have_separate_budgets(clock: FakeClock) -> None:
    budget = InMemoryRateBudget(clock, default=RateLimit(2, 10.0))
    _grant_times(budget, clock, 1, 2)
    before = clock.monotonic()
    budget.acquire(2)
    assert clock.monotonic() == before


def test_headers_teach_the_limit_and_foreign_usage(clock: FakeClock) -> None:
    budget = InMemoryRateBudget(clock)
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


def test_garbled_headers_are_ignored(clock: FakeClock) -> None:
    budget = InMemoryRateBudget(clock)
    budget.observe(7, {"x-hubspot-ratelimit-max": "lots"})
    assert budget.limit_for(7) == RateLimit(110, 10.0)


def test_penalise_blocks_the_portal(clock: FakeClock) -> None:
    budget = InMemoryRateBudget(clock)
    start = clock.monotonic()
    budget.penalise(3, 4.0)
    budget.acquire(3)
    assert clock.monotonic() - start >= 4.0


def test_thread_safe_no_overbooking(clock: FakeClock) -> None:
    budget = InMemoryRateBudget(clock, default=RateLimit(50, 10.0))
    times: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(25):
            budget.acquire(1)
            with lock:
                times.append(clock.monotonic())

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    times.sort()
    assert len(times) == 200
    for i in range(len(times) - 50):
        assert times[i + 50] - times[i] > 10.0
