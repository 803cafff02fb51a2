"""RetryTransport: which requests are retried, how long it waits, what it raises."""

from __future__ import annotations

import random
from collections.abc import Callable

import httpx
import pytest

from hubguard.clock import FakeClock
from hubguard.errors import HubSpotUnavailableError
from hubguard.hubspot.ratelimit import InMemoryRateBudget
from hubguard.hubspot.transport import (
    IDEMPOTENT_EXTENSION,
    PORTAL_EXTENSION,
    RetryPolicy,
    RetryTransport,
)

Handler = Callable[[httpx.Request], httpx.Response]
RATE_429 = {
    "status": "error",
    "message": "You have reached your ten secondly limit.",
    "errorType": "RATE_LIMIT",
    "correlationId": "c",
    "policyName": "TEN_SECONDLY_ROLLING",
}


def _scripted(*outcomes: httpx.Response | Exception) -> tuple[Handler, list[httpx.Request]]:
    seen: list[httpx.Request] = []
    queue = list(outcomes)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        outcome = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    return handler, seen


def _client(handler: Handler, clock: FakeClock, **kw: object) -> httpx.Client:
    transport = RetryTransport(
        httpx.MockTransport(handler),
        clock=clock,
        rng=random.Random(7),
        **kw,  # type: ignore[arg-type]
    )
    return httpx.Client(transport=transport, base_url="https://api.hubapi.com")


def test_get_retries_5xx_then_succeeds(clock: FakeClock) -> None:
    handler, seen = _scripted(
        httpx.Response(502), httpx.Response(503), httpx.Response(200, json={})
    )
    with _client(handler, clock) as http:
        assert http.get("/x").status_code == 200
    assert len(seen) == 3


def test_429_honours_retry_after_and_penalises_the_portal(clock: FakeClock) -> None:
    handler, seen = _scripted(
        httpx.Response(429, json=RATE_429, headers={"Retry-After": "4"}),
        httpx.Response(200, json={}),
    )
    budget = InMemoryRateBudget(clock)
    start = clock.monotonic()
    with _client(handler, clock, rate_budget=budget) as http:
        r = http.get("/x", extensions={PORTAL_EXTENSION: 5})
    assert r.status_code == 200
    assert len(seen) == 2
    waited = clock.monotonic() - start
    assert 4.0 <= waited <= 4.5


def test_daily_429_is_not_retried(clock: FakeClock) -> None:
    daily = {**RATE_429, "policyName": "DAILY", "message": "You have reached your daily limit."}
    handler, seen = _scripted(httpx.Response(429, json=daily))
    with _client(handler, clock) as http:
        assert http.get("/x").status_code == 429
    assert len(seen) == 1


def test_attempts_are_bounded_and_last_response_returned(clock: FakeClock) -> None:
    handler, seen = _scripted(httpx.Response(500))
    with _client(handler, clock, policy=RetryPolicy(max_attempts=4)) as http:
        assert http.get("/x").status_code == 500
    assert len(seen) == 4


def test_total_time_is_bounded(clock: FakeClock) -> None:
    handler, seen = _scripted(httpx.Response(429, json=RATE_429, headers={"Retry-After": "30"}))
    policy = RetryPolicy(max_attempts=100, max_total_seconds=65)
    start = clock.monotonic()
    with _client(handler, clock, policy=policy) as http:
        assert http.get("/x").status_code == 429
    assert len(seen) == 3  # 0, ~30, ~60; a fourth would end after 65 s
    assert clock.monotonic() - start <= 65


def test_backoff_is_full_jitter_exponential(clock: FakeClock) -> None:
    handler, _ = _scripted(httpx.Response(503))
    policy = RetryPolicy(max_attempts=6, base_delay=1.0, max_delay=8.0, max_total_seconds=1000)
    slept: list[float] = []
    real_sleep = clock.sleep

    def record(seconds: float) -> None:
        slept.append(seconds)
        real_sleep(seconds)

    clock.sleep = record  # type: ignore[method-assign]
    with _client(handler, clock, policy=policy) as http:
        http.get("/x")
    ceilings = [1.0, 2.0, 4.0, 8.0, 8.0]
    assert len(slept) == 5
    assert all(0 <= s <= c for s, c in zip(slept, ceilings, strict=True))
    assert len(set(slept)) == 5  # jittered, not a fixed schedule


def test_post_is_not_retried_on_5xx_or_read_timeout(clock: FakeClock) -> None:
    handler, seen = _scripted(httpx.Response(500), httpx.Response(200, json={}))
    with _client(handler, clock) as http:
        assert http.post("/c", json={}).status_code == 500
    assert len(seen) == 1
    handler, seen = _scripted(httpx.ReadTimeout("slow"), httpx.Response(200, json={}))
    with _client(handler, clock) as http, pytest.raises(HubSpotUnavailableError):
        http.post("/c", json={})
    assert len(seen) == 1


def test_post_is_retried_when_it_was_never_sent_or_refused_with_429(clock: FakeClock) -> None:
    handler, seen = _scripted(
        httpx.ConnectError("refused"),
        httpx.Response(429, json=RATE_429),
        httpx.Response(201, json={"id": "m1"}),
    )
    with _client(handler, clock) as http:
        assert http.post("/c", json={"text": "hi"}).status_code == 201
    assert len(seen) == 3
    assert all(r.content == b'{"text":"hi"}' for r in seen)


def test_patch_marked_idempotent_is_retried(clock: FakeClock) -> None:
    handler, seen = _scripted(httpx.Response(503), httpx.Response(200, json={}))
    with _client(handler, clock) as http:
        r = http.patch("/t", json={"status": "CLOSED"}, extensions={IDEMPOTENT_EXTENSION: True})
    assert r.status_code == 200
    assert len(seen) == 2


def test_connection_errors_become_hubspot_unavailable(clock: FakeClock) -> None:
    handler, seen = _scripted(httpx.ConnectError("refused"))
    http = _client(handler, clock, policy=RetryPolicy(max_attempts=3))
    with http, pytest.raises(HubSpotUnavailableError) as info:
        http.get("/x", extensions={PORTAL_EXTENSION: 9})
    assert len(seen) == 3
    assert info.value.portal_id == 9
    assert info.value.__cause__ is None


def test_non_retryable_statuses_pass_through(clock: FakeClock) -> None:
    for status in (400, 401, 403, 404):
        handler, seen = _scripted(httpx.Response(status))
        with _client(handler, clock) as http:
            assert http.get("/x").status_code == status
        assert len(seen) == 1


def test_every_attempt_is_paced_by_the_budget(clock: FakeClock) -> None:
    handler, seen = _scripted(httpx.Response(200, json={}))
    budget = InMemoryRateBudget(clock)
    start = clock.monotonic()
    with _client(handler, clock, rate_budget=budget) as http:
        for _ in range(111):
            http.get("/x", extensions={PORTAL_EXTENSION: 1})
    assert len(seen) == 111
    assert clock.monotonic() - start >= 10


def test_queueing_for_the_budget_does_not_eat_the_retry_time(clock: FakeClock) -> None:
    budget = InMemoryRateBudget(clock)
    budget.penalise(1, 500.0)  # the budget holds the first try back far beyond max_total
    handler, seen = _scripted(httpx.Response(503), httpx.Response(200, json={}))
    with _client(
        handler, clock, rate_budget=budget, policy=RetryPolicy(max_total_seconds=60)
    ) as http:
        assert http.get("/x", extensions={PORTAL_EXTENSION: 1}).status_code == 200
    assert len(seen) == 2
