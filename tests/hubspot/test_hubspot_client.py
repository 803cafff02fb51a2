"""HubSpotClient/PortalClient over a MockTransport speaking HubSpot's wire format."""

from __future__ import annotations

import random
from collections.abc import Callable

import httpx
import pytest
from hubspot_helpers import SETTINGS, TokenEndpoint, install

from hubguard.clock import FakeClock
from hubguard.config import Secret
from hubguard.errors import (
    AuthenticationError,
    MissingScopesError,
    NeedsReauthError,
    NotFoundError,
    RateLimitedError,
)
from hubguard.hubspot.client import HubSpotClient
from hubguard.hubspot.scopes import observed_missing_scopes
from hubguard.hubspot.transport import RetryPolicy
from hubguard.vault.store import SqlTokenVault

PORTAL = 62515
EXPIRED = {
    "status": "error",
    "message": "The OAuth token used to make this call expired 0 second(s) ago.",
    "correlationId": "c-401",
    "category": "EXPIRED_AUTHENTICATION",
}


class FakeHubSpot:
    """Token endpoint + an API handler; records Authorization headers (never printed)."""

    def __init__(self, clock: FakeClock, api: Callable[[httpx.Request], httpx.Response]) -> None:
        self.tokens = TokenEndpoint(clock)
        self.api = api
        self.api_calls: list[httpx.Request] = []
        self.auth_headers: list[str] = []  # copied at call time: httpx reuses the request

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith("/oauth/"):
            return self.tokens.handler(request)
        self.api_calls.append(request)
        self.auth_headers.append(request.headers.get("authorization", ""))
        return self.api(request)


def _client(
    vault: SqlTokenVault, clock: FakeClock, hub: FakeHubSpot, **kw: object
) -> HubSpotClient:
    return HubSpotClient(
        SETTINGS,
        vault,
        transport=httpx.MockTransport(hub),
        clock=clock,
        rng=random.Random(3),
        **kw,  # type: ignore[arg-type]
    )


def test_request_sends_bearer_and_returns_json(vault: SqlTokenVault, clock: FakeClock) -> None:
    install(vault, clock)
    hub = FakeHubSpot(clock, lambda r: httpx.Response(200, json={"id": "1"}))
    with _client(vault, clock, hub) as client:
        portal = client.for_portal(PORTAL)
        assert portal.request("GET", "/conversations/v3/conversations/inboxes/1") == {"id": "1"}
    (call,) = hub.api_calls
    assert call.headers["authorization"] == "Bearer access-0"
    assert call.url.host == "api.test"
    assert "access-0" not in str(call.url)


def test_401_refreshes_once_and_retries_once(vault: SqlTokenVault, clock: FakeClock) -> None:
    install(vault, clock)

    def api(request: httpx.Request) -> httpx.Response:
        if request.headers["authorization"] == "Bearer access-0":
            return httpx.Response(401, json=EXPIRED)
        return httpx.Response(200, json={"ok": True})

    hub = FakeHubSpot(clock, api)
    with _client(vault, clock, hub) as client:
        assert client.for_portal(PORTAL).request("GET", "/x") == {"ok": True}
    assert len(hub.tokens.calls) == 1
    assert hub.auth_headers == ["Bearer access-0", "Bearer access-1"]


def test_persistent_401_is_raised_after_one_retry(vault: SqlTokenVault, clock: FakeClock) -> None:
    install(vault, clock)
    hub = FakeHubSpot(clock, lambda r: httpx.Response(401, json=EXPIRED))
    with _client(vault, clock, hub) as client, pytest.raises(AuthenticationError) as info:
        client.for_portal(PORTAL).request("GET", "/x")
    assert info.value.correlation_id == "c-401"
    assert len(hub.api_calls) == 2
    assert len(hub.tokens.calls) == 1
    assert any(e.operation == "api.denied" for e in vault.audit_log(PORTAL))


def test_missing_scopes_are_mapped_and_recorded(vault: SqlTokenVault, clock: FakeClock) -> None:
    install(vault, clock)
    body = {
        "status": "error",
        "message": "This app hasn't been granted all required scopes.",
        "correlationId": "c-403",
        "category": "MISSING_SCOPES",
        "context": {"missingScopes": ["conversations.write"]},
    }
    hub = FakeHubSpot(clock, lambda r: httpx.Response(403, json=body))
    with _client(vault, clock, hub) as client, pytest.raises(MissingScopesError) as info:
        client.for_portal(PORTAL).request(
            "POST", "/conversations/v3/conversations/threads/1/messages", json={}
        )
    assert info.value.missing_scopes == ("conversations.write",)
    assert observed_missing_scopes(vault, PORTAL) == ("conversations.write",)


def test_429_retried_with_retry_after_then_raised(vault: SqlTokenVault, clock: FakeClock) -> None:
    install(vault, clock)
    body = {
        "status": "error",
        "message": "You have reached your ten secondly limit.",
        "errorType": "RATE_LIMIT",
        "correlationId": "c",
        "policyName": "TEN_SECONDLY_ROLLING",
    }
    hub = FakeHubSpot(clock, lambda r: httpx.Response(429, json=body, headers={"Retry-After": "2"}))
    client = _client(vault, clock, hub, retry_policy=RetryPolicy(max_attempts=3))
    with client, pytest.raises(RateLimitedError) as info:
        client.for_portal(PORTAL).request("GET", "/x")
    assert info.value.retry_after == 2.0
    assert info.value.policy == "TEN_SECONDLY_ROLLING"
    assert len(hub.api_calls) == 3


def test_paginate_follows_after_until_absent(vault: SqlTokenVault, clock: FakeClock) -> None:
    install(vault, clock)
    pages = {
        None: {
            "results": [{"id": "1"}, {"id": "2"}],
            "paging": {"next": {"after": "c2", "link": "x"}},
        },
        "c2": {"results": [{"id": "3"}], "paging": {"next": {"after": "c3"}}},
        "c3": {"results": [{"id": "4"}]},
    }

    def api(request: httpx.Request) -> httpx.Response:
        assert request.url.params["limit"] == "2"
        return httpx.Response(200, json=pages[request.url.params.get("after")])

    hub = FakeHubSpot(clock, api)
    with _client(vault, clock, hub) as client:
        items = list(client.for_portal(PORTAL).paginate("/threads", {"limit": 2}))
    assert [i["id"] for i in items] == ["1", "2", "3", "4"]
    assert len(hub.api_calls) == 3


def test_404_and_needs_reauth_portal(vault: SqlTokenVault, clock: FakeClock) -> None:
    install(vault, clock)
    hub = FakeHubSpot(clock, lambda r: httpx.Response(404, json={"message": "Thread not found"}))
    with _client(vault, clock, hub) as client:
        with pytest.raises(NotFoundError):
            client.for_portal(PORTAL).request("GET", "/x")
        with pytest.raises(NeedsReauthError) as info:
            client.for_portal(404404)
    assert info.value.reconsent_url == "https://hg.example.com/oauth/install?portal=404404"


def test_service_key_portal(vault: SqlTokenVault, clock: FakeClock) -> None:
    key = "pat-na1-11111111-2222-3333-4444-555555555555"
    vault.save_service_key(9, Secret(key), ["conversations.read"])
    hub = FakeHubSpot(clock, lambda r: httpx.Response(204))
    with _client(vault, clock, hub) as client:
        portal = client.for_portal(9)
        assert portal.request("DELETE", "/x") == {}
        assert key not in repr(portal) + repr(portal.auth)
    assert hub.api_calls[0].headers["authorization"] == f"Bearer {key}"
    assert hub.tokens.calls == []


def test_usage_audit_is_sampled(vault: SqlTokenVault, clock: FakeClock) -> None:
    install(vault, clock)
    hub = FakeHubSpot(clock, lambda r: httpx.Response(200, json={}))
    with _client(vault, clock, hub, audit_interval_seconds=60) as client:
        portal = client.for_portal(PORTAL)
        for _ in range(50):
            portal.request("GET", "/x")
        clock.advance(61)
        portal.request("GET", "/y")
    uses = [e.detail for e in vault.audit_log(PORTAL) if e.operation == "api.use"]
    assert [u["calls"] for u in uses] == ["1", "50"]
    assert uses[1]["auth"] == "oauth"


def test_path_template_keeps_no_identifiers() -> None:
    from hubguard.hubspot.client import path_template

    assert (
        path_template("/conversations/v3/conversations/threads/176347007/messages/3ad3474b08dd")
        == "/conversations/v3/conversations/threads/{id}/messages/{id}"
    )
    assert path_template("/conversations/v3/conversations/actors/E-x@y.example") == (
        "/conversations/v3/conversations/actors/{id}"
    )
    assert path_template("/conversations/conversations/2026-09/threads/9/assignee") == (
        "/conversations/conversations/2026-09/threads/{id}/assignee"
    )


def test_audit_rows_name_no_thread_ids(vault: SqlTokenVault, clock: FakeClock) -> None:
    install(vault, clock)
    hub = FakeHubSpot(clock, lambda r: httpx.Response(401, json=EXPIRED))
    with _client(vault, clock, hub) as client, pytest.raises(AuthenticationError):
        client.for_portal(PORTAL).request("GET", "/conversations/v3/conversations/threads/987654")
    details = [str(e.detail) for e in vault.audit_log(PORTAL)]
    assert any("threads/{id}" in d for d in details)
    assert not any("987654" in d for d in details)
