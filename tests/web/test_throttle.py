"""Wrong admin tokens are throttled per address and over all addresses, for the JSON API and the
dashboard's token sign-in together (one count, built once in Services)."""

from __future__ import annotations

import logging

import httpx
import pytest
from web_stack import ADMIN_TOKEN, PUBLIC, Stack

from asgi_client import asgi_client
from hubguard.clock import FakeClock
from hubguard.config import Secret
from hubguard.errors import TooManyAttemptsError
from hubguard.web.sessions import SESSION_COOKIE
from hubguard.web.throttle import InMemoryFailureCounter, SecretThrottle, ThrottleLimits

TOKEN = ADMIN_TOKEN
WINDOW = 300  # the default window, seconds
API = "/api/portals/1/policies"  # any API route: every one needs the admin token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def wrong_guesses(web: httpx.Client, count: int, *, prefix: str = "guess") -> None:
    for i in range(count):
        answer = web.get(API, headers=bearer(f"{prefix}-{i}"))
        assert answer.status_code == 401, answer.text


def from_address(stack: Stack, address: str) -> httpx.Client:
    """A client of the same app whose requests come from ``address``."""
    return asgi_client(stack.asgi, PUBLIC, client=(address, 50123))


def install(stack: Stack) -> None:
    response = stack.web.get("/oauth/install")
    redirect = stack.emulator.consent(response.headers["location"], stack.portal.portal_id)
    assert stack.web.get(redirect.removeprefix(PUBLIC)).status_code == 200


def test_ten_wrong_tokens_then_even_the_right_one_is_refused_until_the_window_ends(
    guarded: Stack, clock: FakeClock
) -> None:
    wrong_guesses(guarded.web, 10)
    refused = guarded.web.get(API, headers=bearer(TOKEN))
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == str(WINDOW)
    assert refused.json()["detail"] == (
        f"Too many wrong admin tokens from this address; try again in {WINDOW} s"
    )
    clock.advance(WINDOW - 1)
    still = guarded.web.get(API, headers=bearer("guess-again"))
    assert (still.status_code, still.headers["retry-after"]) == (429, "1")
    clock.advance(1)
    assert guarded.web.get(API, headers=bearer(TOKEN)).status_code == 200


def test_the_dashboard_and_the_api_count_together(guarded: Stack, clock: FakeClock) -> None:
    install(guarded)
    installers_session = guarded.web.cookies[SESSION_COOKIE]  # the install signed its user in
    form = {"token": "guess", "portal": str(guarded.portal.portal_id)}
    for _ in range(5):
        assert guarded.web.post("/dashboard/signin/token", data=form).status_code == 401
    wrong_guesses(guarded.web, 5)
    clock.advance(60)
    refused = guarded.web.post("/dashboard/signin/token", data={**form, "token": TOKEN})
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == str(WINDOW - 60)
    assert "Too many wrong admin tokens from this address; try again in 240 s." in refused.text
    assert guarded.web.cookies[SESSION_COOKIE] == installers_session  # no new session given
    clock.advance(WINDOW - 60)
    signed_in = guarded.web.post("/dashboard/signin/token", data={**form, "token": TOKEN})
    assert (signed_in.status_code, signed_in.headers["location"]) == (303, "/dashboard")


def test_another_address_is_not_refused_and_its_right_token_frees_no_one(
    guarded: Stack,
) -> None:
    wrong_guesses(guarded.web, 10)
    with from_address(guarded, "203.0.113.7") as other:
        assert other.get(API, headers=bearer("nope")).status_code == 401
        assert other.get(API, headers=bearer(TOKEN)).status_code == 200
    assert guarded.web.get(API, headers=bearer(TOKEN)).status_code == 429


def test_an_ipv6_guesser_rotating_through_its_64_is_counted_once(guarded: Stack) -> None:
    # One subscriber's /64: ten guesses from ten different addresses in it are ten from one.
    for i in range(10):
        with from_address(guarded, f"2001:db8:5:7::{i + 1:x}") as rotating:
            assert rotating.get(API, headers=bearer(f"guess-{i}")).status_code == 401
    with from_address(guarded, "2001:db8:5:7:ffff::1") as same_64:
        assert same_64.get(API, headers=bearer(TOKEN)).status_code == 429
    with from_address(guarded, "2001:db8:5:8::1") as next_64:
        assert next_64.get(API, headers=bearer(TOKEN)).status_code == 200
    # An IPv4 peer seen through a dual-stack socket counts as that IPv4 address.
    with from_address(guarded, "198.51.100.4") as v4:
        for i in range(10):
            assert v4.get(API, headers=bearer(f"v4-{i}")).status_code == 401
    with from_address(guarded, "::ffff:198.51.100.4") as mapped:
        assert mapped.get(API, headers=bearer(TOKEN)).status_code == 429


def test_a_right_token_before_the_limit_clears_that_addresses_count(guarded: Stack) -> None:
    wrong_guesses(guarded.web, 9)
    assert guarded.web.get(API, headers=bearer(TOKEN)).status_code == 200
    wrong_guesses(guarded.web, 9, prefix="later")  # would have hit 429 from the 2nd on
    assert guarded.web.get(API, headers=bearer(TOKEN)).status_code == 200


def test_a_request_without_a_token_is_no_guess(guarded: Stack) -> None:
    for headers in ({}, {"Authorization": "Bearer "}, {"Authorization": "Basic dXNlcjpwdw=="}):
        for _ in range(10):
            assert guarded.web.get(API, headers=headers).status_code == 401
    assert guarded.web.get(API, headers=bearer(TOKEN)).status_code == 200


def test_the_ceiling_over_all_addresses_refuses_everyone_and_says_so_once(
    guarded: Stack, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="hubguard.web.throttle")
    for n in range(11):  # 11 addresses x 9 guesses: each below its own limit of 10
        with from_address(guarded, f"198.51.100.{n}") as guesser:
            wrong_guesses(guesser, 9, prefix=f"spread-{n}")
    with from_address(guarded, "192.0.2.1") as innocent:
        # 99 so far: a right token still works, and does not clear the count over everyone.
        assert innocent.get(API, headers=bearer(TOKEN)).status_code == 200
        with from_address(guarded, "198.51.100.99") as guesser:
            wrong_guesses(guesser, 1, prefix="the-100th")
        refused = innocent.get(API, headers=bearer(TOKEN))
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == str(WINDOW)
        assert "from many addresses; it is refused for everyone" in refused.json()["detail"]
        assert guarded.web.get(API, headers=bearer(TOKEN)).status_code == 429
        clock.advance(WINDOW)
        assert innocent.get(API, headers=bearer(TOKEN)).status_code == 200
    trips = [r.getMessage() for r in caplog.records if r.name == "hubguard.web.throttle"]
    assert trips == [
        "100 wrong admin tokens from all addresses together: refusing the admin token for "
        f"everyone for {WINDOW} s"
    ]


def test_the_trip_is_logged_once_with_address_and_count_and_no_token_ever(
    guarded: Stack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    install(guarded)
    near_misses = [TOKEN[:-1] + c for c in "abcdefghij"]  # guesses one character off
    form = {"portal": str(guarded.portal.portal_id)}
    for guess in near_misses[:5]:
        assert guarded.web.post("/dashboard/signin/token", data={**form, "token": guess}).is_error
    for guess in near_misses[5:]:
        assert guarded.web.get(API, headers=bearer(guess)).status_code == 401
    assert guarded.web.get(API, headers=bearer(TOKEN)).status_code == 429
    assert guarded.web.post("/dashboard/signin/token", data={**form, "token": TOKEN}).is_error

    trips = [r.getMessage() for r in caplog.records if r.name == "hubguard.web.throttle"]
    assert trips == [f"10 wrong admin tokens from 127.0.0.1: refusing that address for {WINDOW} s"]
    logged = "\n".join(
        [r.getMessage() for r in caplog.records] + [repr(r.args) for r in caplog.records]
    )
    for secret in [TOKEN, TOKEN[:12], *near_misses]:
        assert secret not in logged


# The counting itself, without HTTP.


def test_windows_open_at_the_first_failure_and_end_whole(clock: FakeClock) -> None:
    counter = InMemoryFailureCounter()
    assert counter.add("a", clock.now(), 60).failures == 1
    clock.advance(59)
    tally = counter.add("a", clock.now(), 60)
    assert (tally.failures, tally.ends_at - clock.now()) == (2, 1)
    assert counter.tally("b", clock.now()).failures == 0
    clock.advance(1)
    assert counter.tally("a", clock.now()).failures == 0
    assert counter.add("a", clock.now(), 60).failures == 1  # a fresh window
    counter.clear("a")
    assert counter.tally("a", clock.now()).failures == 0


def test_ended_windows_are_swept_from_memory(clock: FakeClock) -> None:
    counter = InMemoryFailureCounter()
    for n in range(1025):
        counter.add(f"old-{n}", clock.now(), 60)
    clock.advance(60)
    counter.add("new", clock.now(), 60)
    assert repr(counter) == "InMemoryFailureCounter(keys=1)"


def test_the_throttle_refuses_unread_and_rounds_the_wait_up(clock: FakeClock) -> None:
    throttle = SecretThrottle(
        clock=clock, limits=ThrottleLimits(per_client=2, everyone=5, window_seconds=10)
    )
    secret = Secret(TOKEN)
    assert throttle.attempt("10.0.0.1", "x", secret) is False
    clock.advance(0.5)
    assert throttle.attempt("10.0.0.1", "y", secret) is False
    clock.advance(0.25)
    with pytest.raises(TooManyAttemptsError) as refused:
        throttle.attempt("10.0.0.1", TOKEN, secret)
    assert refused.value.retry_after == 10  # 9.25 s left, rounded up
    assert throttle.attempt("10.0.0.2", TOKEN, secret) is True
