"""HubSpot misbehaving the ways real APIs do: each answer ends in one of hubguard's own errors,
bounded, and nothing half-read is acted on (found by a review with scripted responses)."""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator

import httpx
import pytest
from hubspot_helpers import SETTINGS, install

from hubguard.clock import FakeClock
from hubguard.config import Secret
from hubguard.errors import (
    HubSpotError,
    HubSpotUnavailableError,
    MalformedEventError,
    MalformedResponseError,
    OAuthError,
)
from hubguard.hubspot.client import HubSpotClient
from hubguard.hubspot.conversations import Conversations
from hubguard.hubspot.oauth import OAuthClient
from hubguard.hubspot.ratelimit import InMemoryRateBudget, RateLimit
from hubguard.hubspot.responses import parse_retry_after
from hubguard.inbox.payload import parse_events
from hubguard.vault.store import SqlTokenVault

PORTAL = 62515
Handler = Callable[[httpx.Request], httpx.Response]


def client(vault: SqlTokenVault, clock: FakeClock, api: Handler) -> HubSpotClient:
    install(vault, clock, portal_id=PORTAL)
    return HubSpotClient(
        SETTINGS, vault, transport=httpx.MockTransport(api), clock=clock, rng=random.Random(1)
    )


@pytest.mark.parametrize("value", ["100000000", "inf", "1e400", "nan"])
def test_a_retry_after_of_years_or_infinity_is_no_instruction(value: str) -> None:
    assert parse_retry_after({"retry-after": value}, now=0.0) is None


def test_a_429_penalty_holds_a_portal_for_minutes_at_most(clock: FakeClock) -> None:
    budget = InMemoryRateBudget(clock)
    budget.penalise(PORTAL, 10**9)
    start = clock.monotonic()
    budget.acquire(PORTAL)
    assert clock.monotonic() - start <= 300.0


@pytest.mark.parametrize(
    "headers",
    [
        {"x-hubspot-ratelimit-max": "-5"},
        {"x-hubspot-ratelimit-interval-milliseconds": "-10000"},
        {"x-hubspot-ratelimit-max": "110", "x-hubspot-ratelimit-remaining": "-3000000"},
    ],
)
def test_nonsense_rate_headers_neither_stop_nor_flood_the_budget(
    clock: FakeClock, headers: dict[str, str]
) -> None:
    budget = InMemoryRateBudget(clock)
    budget.observe(PORTAL, headers)
    limit = budget.limit_for(PORTAL)
    assert (limit.max_requests > 0, limit.interval_seconds > 0) == (True, True)
    start = clock.monotonic()
    budget.acquire(PORTAL)  # once a window's worth at most is booked: one wait, not forever
    assert clock.monotonic() - start <= RateLimit(110, 10.0).interval_seconds + 1


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_is_no_success(vault: SqlTokenVault, clock: FakeClock, status: int) -> None:
    def api(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, headers={"location": "https://evil.example.net/x"})

    with client(vault, clock, api) as hub, pytest.raises(HubSpotError):
        Conversations(hub.for_portal(PORTAL)).archive_thread("1")


@pytest.mark.parametrize(
    "body",
    [b'{"id": "1", "status": "OP', b"[1, 2]", b"null", b"<html>proxy</html>", b"\xff\xfe"],
)
def test_a_2xx_body_that_is_not_hubspots_json_is_an_error(
    vault: SqlTokenVault, clock: FakeClock, body: bytes
) -> None:
    with (
        client(vault, clock, lambda request: httpx.Response(200, content=body)) as hub,
        pytest.raises(MalformedResponseError),
    ):
        Conversations(hub.for_portal(PORTAL)).get_thread("1")


def test_an_object_without_its_id_is_an_error(vault: SqlTokenVault, clock: FakeClock) -> None:
    thread = {"status": "OPEN", "createdAt": "2026-01-01T00:00:00Z"}
    with (
        client(vault, clock, lambda request: httpx.Response(200, json=thread)) as hub,
        pytest.raises(MalformedResponseError),
    ):
        Conversations(hub.for_portal(PORTAL)).get_thread("1")


def test_a_listing_whose_cursor_comes_back_is_an_error(
    vault: SqlTokenVault, clock: FakeClock
) -> None:
    def api(request: httpx.Request) -> httpx.Response:
        after = "B" if request.url.params.get("after") == "A" else "A"  # A, B, A, ...
        return httpx.Response(200, json={"results": [], "paging": {"next": {"after": after}}})

    with client(vault, clock, api) as hub, pytest.raises(MalformedResponseError, match="cursor"):
        list(hub.for_portal(PORTAL).paginate("/conversations/v3/conversations/threads"))


def test_the_client_secret_never_reaches_an_oauth_error_message(clock: FakeClock) -> None:
    echo = {"status": "BAD", "message": "bad form: client_secret client-secret-xyz"}

    def endpoint(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json=echo)

    with httpx.Client(transport=httpx.MockTransport(endpoint)) as http:
        oauth = OAuthClient(SETTINGS, http, clock)
        with pytest.raises(OAuthError) as refused:
            oauth.refresh(Secret("refresh-0"))
    assert "client-secret-xyz" not in str(refused.value)


def _event(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "eventId": 1,
        "subscriptionId": 2,
        "portalId": PORTAL,
        "occurredAt": 1_700_000_000_000,
        "subscriptionType": "conversation.newMessage",
        "objectId": 7,
    }
    return {**base, **changes}


def test_a_webhook_integer_beyond_the_database_is_refused_not_stored_forever() -> None:
    with pytest.raises(MalformedEventError, match="out of range"):
        parse_events(json.dumps([_event(), _event(eventId=2**64)]).encode())


def test_a_webhook_body_nested_beyond_reason_is_refused() -> None:
    with pytest.raises(MalformedEventError):
        parse_events(b"[" * 100_000 + b"]" * 100_000)


def test_a_message_without_its_type_is_an_error_not_an_incoming_message(
    vault: SqlTokenVault, clock: FakeClock
) -> None:
    message = {"id": "m1", "conversationsThreadId": "1", "createdAt": "2026-01-01T00:00:00Z"}
    with (
        client(vault, clock, lambda request: httpx.Response(200, json=message)) as hub,
        pytest.raises(MalformedResponseError, match="type"),
    ):
        Conversations(hub.for_portal(PORTAL)).get_message("1", "m1")


class _Chunks(httpx.SyncByteStream):
    """A body sent in pieces, each after ``step`` seconds on the clock."""

    def __init__(self, clock: FakeClock, count: int, size: int, step: float) -> None:
        self._clock, self._count, self._size, self._step = clock, count, size, step

    def __iter__(self) -> Iterator[bytes]:
        for _ in range(self._count):
            self._clock.advance(self._step)
            yield b" " * self._size


@pytest.mark.parametrize(
    ("count", "size", "step", "why"),
    [
        (100, 1024 * 1024, 0.0, "ReadError"),  # 100 MB
        (1_000, 1, 0.5, "ReadTimeout"),  # a byte every half second, for ever
    ],
)
def test_an_answer_too_big_or_too_slow_is_cut_off(
    vault: SqlTokenVault, clock: FakeClock, count: int, size: int, step: float, why: str
) -> None:
    def api(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=_Chunks(clock, count, size, step))

    with client(vault, clock, api) as hub, pytest.raises(HubSpotUnavailableError, match=why):
        Conversations(hub.for_portal(PORTAL)).get_thread("1")
