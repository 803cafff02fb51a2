"""OAuthClient against handlers that answer with HubSpot's documented bodies."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from hubguard.clock import FakeClock
from hubguard.config import Secret, Settings
from hubguard.errors import ConfigError, HubSpotUnavailableError, InvalidGrantError, OAuthError
from hubguard.hubspot.oauth import OAuthClient, make_pkce

SETTINGS = Settings(
    client_id="cid-123",
    client_secret=Secret("client-secret-xyz"),
    public_url="https://hg.example.com",
    hubspot_api_url="https://api.test",
    hubspot_app_url="https://app.test",
)
TOKEN_BODY = {
    "token_type": "bearer",
    "refresh_token": "1e8fbfb1-8e96-4826-8b8d-c8af73715",
    "access_token": "CIrToaiiMhIHAAEAQAAAARiO1ooBIOP0",
    "expires_in": 1800,
    "token_use": "access_token",
}
BAD_REFRESH = {
    "error": "invalid_grant",
    "error_description": "refresh token is invalid, expired or revoked",
    "status": "BAD_REFRESH_TOKEN",
    "message": "refresh token is invalid, expired or revoked",
}


def _oauth(
    handler: Callable[[httpx.Request], httpx.Response], clock: FakeClock, **settings: object
) -> OAuthClient:
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return OAuthClient(SETTINGS.replace(**settings), http, clock)


def _form(request: httpx.Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.content.decode()).items()}


def test_pkce_pair_is_s256() -> None:
    verifier, challenge = make_pkce()
    assert 43 <= len(verifier) <= 128
    digest = hashlib.sha256(verifier.encode()).digest()
    assert challenge == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    assert make_pkce()[0] != verifier


def test_authorize_url_has_singular_optional_scope_and_pkce(clock: FakeClock) -> None:
    oauth = _oauth(lambda r: httpx.Response(500), clock)
    url = oauth.authorize_url(
        "st@te",
        "chal",
        scopes=["conversations.read", "conversations.write"],
        optional_scopes=["crm.objects.contacts.read"],
    )
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "app.test", "/oauth/authorize")
    assert "scope=conversations.read%20conversations.write" in parts.query
    assert "+" not in parts.query
    q = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert q == {
        "client_id": "cid-123",
        "scope": "conversations.read conversations.write",
        "optional_scope": "crm.objects.contacts.read",
        "redirect_uri": "https://hg.example.com/oauth/callback",
        "state": "st@te",
        "code_challenge": "chal",
        "code_challenge_method": "S256",
    }
    pinned = oauth.authorize_url("s", "c", scopes=["oauth"], account_id=42)
    assert urlsplit(pinned).path == "/oauth/42/authorize"
    assert "optional_scope" not in pinned


@pytest.mark.parametrize("version", ["2026-03", "v3", "v1"])
def test_exchange_code_posts_credentials_in_the_body(version: str, clock: FakeClock) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=TOKEN_BODY)

    tokens = _oauth(handler, clock, oauth_api_version=version).exchange_code("code-1", "ver-1")
    (request,) = seen
    assert request.method == "POST"
    assert request.url.path == f"/oauth/{version}/token"
    assert request.url.query == b""
    assert "authorization" not in request.headers
    assert _form(request) == {
        "grant_type": "authorization_code",
        "code": "code-1",
        "code_verifier": "ver-1",
        "redirect_uri": "https://hg.example.com/oauth/callback",
        "client_id": "cid-123",
        "client_secret": "client-secret-xyz",
    }
    assert tokens.access_token.reveal() == TOKEN_BODY["access_token"]
    assert tokens.refresh_token == Secret(TOKEN_BODY["refresh_token"])
    assert tokens.expires_at == clock.now() + 1800


def test_refresh_keeps_rotated_or_previous_refresh_token(clock: FakeClock) -> None:
    bodies = [{**TOKEN_BODY, "refresh_token": "rotated-1"}, {**TOKEN_BODY}]
    bodies[1].pop("refresh_token")
    forms: list[dict[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        forms.append(_form(request))
        return httpx.Response(200, json=bodies.pop(0))

    oauth = _oauth(handler, clock)
    first = oauth.refresh(Secret("old-refresh"))
    assert first.refresh_token == Secret("rotated-1")
    second = oauth.refresh(Secret("rotated-1"))
    assert second.refresh_token == Secret("rotated-1")
    assert forms[0]["grant_type"] == "refresh_token"
    assert forms[0]["refresh_token"] == "old-refresh"
    assert "redirect_uri" not in forms[0]


def test_refresh_of_a_dead_grant_raises_invalid_grant(clock: FakeClock) -> None:
    oauth = _oauth(lambda r: httpx.Response(400, json=BAD_REFRESH), clock)
    with pytest.raises(InvalidGrantError) as info:
        oauth.refresh(Secret("dead-refresh-token"))
    assert "dead-refresh-token" not in str(info.value)


def test_unreachable_and_malformed_token_endpoint(clock: FakeClock) -> None:
    def boom(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("nope")

    with pytest.raises(HubSpotUnavailableError):
        _oauth(boom, clock).refresh(Secret("r"))
    with pytest.raises(OAuthError, match="without access_token"):
        _oauth(lambda r: httpx.Response(200, json={"ok": 1}), clock).refresh(Secret("r"))


def test_missing_client_credentials_is_a_config_error(clock: FakeClock) -> None:
    oauth = _oauth(lambda r: httpx.Response(200, json=TOKEN_BODY), clock, client_secret=None)
    with pytest.raises(ConfigError, match="HUBGUARD_CLIENT_SECRET"):
        oauth.refresh(Secret("r"))


INTROSPECT = {
    "active": True,
    "token": "ignored",
    "token_type": "bearer",
    "token_use": "access_token",
    "hub_id": 62515,
    "user": "admin@example.com",
    "user_id": 293199,
    "app_id": 111111,
    "client_id": "cid-123",
    "expires_in": 1754,
    "is_private_distribution": False,
    "scopes": ["oauth", "conversations.read"],
    "signed_access_token": {"hubId": 62515},
    "hub_domain": "meowmix.com",
}


def test_introspect_dated(clock: FakeClock) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=INTROSPECT)

    info = _oauth(handler, clock).introspect(Secret("acc-tok"))
    assert seen[0].url.path == "/oauth/2026-03/token/introspect"
    assert _form(seen[0])["token"] == "acc-tok"
    assert (info.active, info.hub_id, info.user, info.user_id) == (
        True,
        62515,
        "admin@example.com",
        293199,
    )
    assert info.scopes == ("oauth", "conversations.read")
    assert (info.app_id, info.client_id, info.expires_in, info.token_use) == (
        111111,
        "cid-123",
        1754,
        "access_token",
    )
    inactive = _oauth(lambda r: httpx.Response(200, json={"active": False}), clock)
    assert inactive.introspect(Secret("x")).active is False


def test_introspect_and_revoke_v1(clock: FakeClock) -> None:
    seen: list[httpx.Request] = []
    v1_body = {k: v for k, v in INTROSPECT.items() if k not in {"active", "token_use"}}

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.method == "GET":
            return httpx.Response(200, json=v1_body)
        return httpx.Response(204)

    oauth = _oauth(handler, clock, oauth_api_version="v1")
    info = oauth.introspect(Secret("acc-tok-v1"))
    assert seen[0].url.path == "/oauth/v1/access-tokens/acc-tok-v1"
    assert info.active
    assert (info.hub_id, info.token_use) == (62515, "access_token")
    oauth.revoke(Secret("ref-tok-v1"))
    assert (seen[1].method, seen[1].url.path) == ("DELETE", "/oauth/v1/refresh-tokens/ref-tok-v1")


def test_revoke_dated_and_already_dead(clock: FakeClock) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200 if len(seen) == 1 else 400, json={} if len(seen) == 1 else BAD_REFRESH
        )

    oauth = _oauth(handler, clock)
    oauth.revoke(Secret("ref-1"))
    oauth.revoke(Secret("ref-1"))  # already revoked: not an error
    assert seen[0].url.path == "/oauth/2026-03/token/revoke"
    assert _form(seen[0])["token"] == "ref-1"
    assert _form(seen[0])["token_type_hint"] == "refresh_token"
