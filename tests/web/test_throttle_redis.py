"""The Redis failure counter: the same windows as in memory, shared by every web process."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator

import pytest
import redis

from hubguard.clock import FakeClock
from hubguard.config import Secret
from hubguard.errors import TooManyAttemptsError
from hubguard.web.throttle import SecretThrottle, ThrottleLimits
from hubguard.web.throttle_redis import RedisFailureCounter


@pytest.fixture
def prefix(redis_url: str) -> Iterator[str]:
    """A key prefix of this test's own, removed afterwards."""
    name = "hubguard-test-throttle:" + secrets.token_hex(6)
    yield name
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(name + ":*"):
        client.delete(key)
    client.close()


def counter(redis_url: str, prefix: str) -> RedisFailureCounter:
    return RedisFailureCounter(redis.Redis.from_url(redis_url), prefix=prefix)


def test_windows_open_at_the_first_failure_end_whole_and_expire(
    redis_url: str, prefix: str, clock: FakeClock
) -> None:
    counts = counter(redis_url, prefix)
    assert counts.add("a", clock.now(), 60).failures == 1
    clock.advance(59)
    tally = counts.add("a", clock.now(), 60)
    assert (tally.failures, round(tally.ends_at - clock.now(), 6)) == (2, 1)
    assert counts.tally("a", clock.now()).failures == 2
    assert counts.tally("b", clock.now()).failures == 0
    clock.advance(1)
    assert counts.tally("a", clock.now()).failures == 0
    assert counts.add("a", clock.now(), 60).failures == 1  # a fresh window
    ttl_ms = redis.Redis.from_url(redis_url).pttl(f"{prefix}:a")
    assert 50_000 < ttl_ms <= 61_000  # Redis forgets the key with its window (+1 s margin)
    counts.clear("a")
    assert counts.tally("a", clock.now()).failures == 0


def test_two_processes_share_one_limit(redis_url: str, prefix: str, clock: FakeClock) -> None:
    limits = ThrottleLimits(per_client=4, everyone=100, window_seconds=300)
    token = Secret("the-right-admin-token")
    first = SecretThrottle(counter(redis_url, prefix), clock=clock, limits=limits)
    second = SecretThrottle(counter(redis_url, prefix), clock=clock, limits=limits)
    for throttle in (first, second, first, second):
        assert throttle.attempt("203.0.113.7", "wrong", token) is False
    with pytest.raises(TooManyAttemptsError):
        second.attempt("203.0.113.7", "the-right-admin-token", token)
    assert first.attempt("198.51.100.2", "the-right-admin-token", token) is True


def test_without_redis_it_counts_in_this_process(
    clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    # Nothing listens on port 1: every call fails at once.
    down = RedisFailureCounter(redis.Redis.from_url("redis://127.0.0.1:1/0"), prefix="x")
    throttle = SecretThrottle(
        down, clock=clock, limits=ThrottleLimits(per_client=2, everyone=5, window_seconds=10)
    )
    token = Secret("the-right-admin-token")
    with caplog.at_level(logging.WARNING, logger="hubguard.web.throttle_redis"):
        assert throttle.attempt("203.0.113.7", "guess-7f3a", token) is False
        assert throttle.attempt("203.0.113.7", "guess-7f3a", token) is False
        with pytest.raises(TooManyAttemptsError):
            throttle.attempt("203.0.113.7", "the-right-admin-token", token)
    warnings = [r for r in caplog.records if "throttle counts unavailable" in r.getMessage()]
    assert len(warnings) == 1  # once per outage, not once per call
    assert "the-right-admin-token" not in caplog.text
    assert "guess-7f3a" not in caplog.text


def test_services_count_in_redis_when_it_is_configured(redis_url: str) -> None:
    from hubguard.config import Settings
    from hubguard.services import _shared_failure_counter

    assert _shared_failure_counter(Settings()) is None  # one process: its own memory
    shared = _shared_failure_counter(Settings(redis_url=Secret(redis_url)))
    assert isinstance(shared, RedisFailureCounter)
