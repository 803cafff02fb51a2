"""OAuth per reference §1: authorize validation, consent, codes, tokens, metadata, errors."""

from __future__ import annotations

import base64
import hashlib

import httpx
import pytest
from emulator_helpers import REDIRECT, SCOPES, Installed, authorize_url, install, query_of

from hubguard.clock import FakeClock
from hubguard.emulator import AppInfo, Emulator, PortalInfo
from hubguard.errors import EmulatorError


def token_form(app: AppInfo, **fields: str) -> dict[str, str]:
    return {"client_id": app.client_id, "client_secret": app.client_secret, **fields}


def exchange(
    client: httpx.Client, app: AppInfo, code: str, version: str = "2026-03", **extra: str
) -> httpx.Response:
    form = token_form(
        app, grant_type="authorization_code", code=code, redirect_uri=REDIRECT, **extra
    )
    return client.post(f"/oauth/{version}/token", data=form)


def code_for(emulator: Emulator, app: AppInfo, portal: PortalInfo, **extra: str) -> str:
    return query_of(emulator.consent(authorize_url(app, **extra), portal.portal_id))["code"]


# authorize page and consent -------------------------------------------------------------


def test_authorize_page_renders_a_consent_form(
    client: httpx.Client, app: AppInfo, portal: PortalInfo
) -> None:
    response = client.get(authorize_url(app).replace("https://app.hubspot.com", ""))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "Approve" in response.text
    assert "Deny" in response.text
    assert f"{portal.portal_id}:{portal.users[0].id}" in response.text


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"client_id": "nope"}, "BAD_CLIENT_ID"),
        ({"redirect_uri": "https://evil.example/cb"}, "BAD_REDIRECT_URI"),
        ({"scope": "oauth conversations.read"}, "SCOPE_MISMATCH"),
        ({"scope": "oauth conversations.read conversations.write crm.import"}, "SCOPE_MISMATCH"),
        ({"code_challenge": "abc", "code_challenge_method": "plain"}, "BAD_CODE_CHALLENGE"),
    ],
)
def test_authorize_rejects_bad_requests_without_redirecting(
    emulator: Emulator,
    client: httpx.Client,
    app: AppInfo,
    portal: PortalInfo,
    change: dict[str, str],
    code: str,
) -> None:
    url = (
        authorize_url(app, **change)
        if "client_id" not in change
        else authorize_url(app).replace(app.client_id, change["client_id"])
    )
    if "redirect_uri" in change:
        url = url.replace("localhost%3A8000%2Foauth%2Fcallback", "evil.example%2Fcb")
    if "scope" in change:
        url = authorize_url(app, scope=change["scope"])
    page = client.get(url.replace("https://app.hubspot.com", ""))
    assert page.status_code == 400
    assert code in page.text
    with pytest.raises(EmulatorError) as err:
        emulator.consent(url, portal.portal_id)
    assert err.value.code == code


def test_consent_approve_redirects_with_code_and_state(
    emulator: Emulator, app: AppInfo, portal: PortalInfo
) -> None:
    redirect = emulator.consent(authorize_url(app, state="s-123"), portal.portal_id)
    assert redirect.startswith(REDIRECT + "?")
    params = query_of(redirect)
    assert params["state"] == "s-123"
    assert params["code"]


def test_consent_deny_redirects_with_error(
    emulator: Emulator, app: AppInfo, portal: PortalInfo
) -> None:
    params = query_of(
        emulator.consent(authorize_url(app, state="s"), portal.portal_id, approve=False)
    )
    assert params == {
        "error": "access_denied",
        "error_description": "The user denied access",
        "state": "s",
    }


def test_consent_form_post_redirects(
    client: httpx.Client, app: AppInfo, portal: PortalInfo
) -> None:
    response = client.post(
        "/oauth/authorize/decision",
        data={
            "authorize_url": authorize_url(app, state="xyz"),
            "account": f"{portal.portal_id}:{portal.users[1].id}",
            "decision": "approve",
        },
    )
    assert response.status_code == 302
    params = query_of(response.headers["location"])
    assert params["state"] == "xyz"
    token = exchange(client, app, params["code"]).json()
    assert token["user_id"] == portal.users[1].id


def test_pinned_account_authorize(emulator: Emulator, app: AppInfo, portal: PortalInfo) -> None:
    other = emulator.create_portal()
    url = authorize_url(app).replace("/oauth/authorize", f"/oauth/{portal.portal_id}/authorize")
    assert "code" in query_of(emulator.consent(url, portal.portal_id))
    with pytest.raises(EmulatorError):
        emulator.consent(url, other.portal_id)


def test_optional_scopes_the_portal_lacks_are_dropped(
    emulator: Emulator, client: httpx.Client
) -> None:
    app = emulator.create_app(
        redirect_uris=[REDIRECT], scopes=SCOPES, optional_scopes=["tickets", "crm.import"]
    )
    portal = emulator.create_portal(scopes=[*SCOPES, "tickets"])
    url = authorize_url(app, optional_scope="tickets crm.import")
    code = query_of(emulator.consent(url, portal.portal_id))["code"]
    body = exchange(client, app, code).json()
    assert body["scopes"] == [*SCOPES, "tickets"]


def test_optional_scopes_the_app_did_not_configure_are_dropped(
    emulator: Emulator, client: httpx.Client
) -> None:
    app = emulator.create_app(redirect_uris=[REDIRECT], scopes=SCOPES, optional_scopes=["tickets"])
    portal = emulator.create_portal(scopes=[*SCOPES, "tickets", "crm.import"])
    url = authorize_url(app, optional_scope="tickets crm.import")
    code = query_of(emulator.consent(url, portal.portal_id))["code"]
    body = exchange(client, app, code).json()
    assert body["scopes"] == [*SCOPES, "tickets"]  # crm.import: not configured on the app


def test_portal_lacking_a_required_scope_gets_an_error_redirect(
    emulator: Emulator, app: AppInfo
) -> None:
    poor = emulator.create_portal(scopes=["oauth", "conversations.read"])
    params = query_of(emulator.consent(authorize_url(app), poor.portal_id))
    assert params["error"] == "invalid_scope"


# token endpoints ------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["2026-03", "v3"])
def test_code_exchange_dated_endpoints(
    emulator: Emulator, client: httpx.Client, app: AppInfo, portal: PortalInfo, version: str
) -> None:
    response = exchange(client, app, code_for(emulator, app, portal), version)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "token_type",
        "refresh_token",
        "access_token",
        "expires_in",
        "hub_id",
        "scopes",
        "user_id",
        "token_use",
    }
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 1800
    assert body["hub_id"] == portal.portal_id
    assert body["token_use"] == "access_token"
    assert body["scopes"] == list(SCOPES)
    assert len(body["access_token"]) <= 512


def test_code_exchange_v1_returns_the_documented_four_fields(
    emulator: Emulator, client: httpx.Client, app: AppInfo, portal: PortalInfo
) -> None:
    body = exchange(client, app, code_for(emulator, app, portal), "v1").json()
    assert set(body) == {"token_type", "refresh_token", "access_token", "expires_in"}


def test_v1_accepts_legacy_query_parameters(
    emulator: Emulator, client: httpx.Client, app: AppInfo, portal: PortalInfo
) -> None:
    code = code_for(emulator, app, portal)
    response = client.post(
        "/oauth/v1/token",
        params={"client_secret": app.client_secret},
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": app.client_id,
        },
    )
    assert response.status_code == 200


def test_codes_are_single_use(
    emulator: Emulator, client: httpx.Client, app: AppInfo, portal: PortalInfo
) -> None:
    code = code_for(emulator, app, portal)
    assert exchange(client, app, code).status_code == 200
    again = exchange(client, app, code)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    assert again.json()["status"] == "BAD_AUTH_CODE"


def test_codes_expire_after_60_seconds(
    emulator: Emulator, client: httpx.Client, app: AppInfo, portal: PortalInfo, clock: FakeClock
) -> None:
    code = code_for(emulator, app, portal)
    clock.advance(60)
    body = exchange(client, app, code).json()
    assert body["status"] == "EXPIRED_AUTH_CODE"
    assert body["error"] == "invalid_grant"
    fresh = code_for(emulator, app, portal)
    clock.advance(59)
    assert exchange(client, app, fresh).status_code == 200


def test_redirect_uri_must_match_exactly(
    emulator: Emulator, client: httpx.Client, app: AppInfo, portal: PortalInfo
) -> None:
    code = code_for(emulator, app, portal)
    form = token_form(app, grant_type="authorization_code", code=code, redirect_uri=REDIRECT + "/")
    body = client.post("/oauth/2026-03/token", data=form).json()
    assert body["status"] == "BAD_REDIRECT_URI"
    assert body["error"] == "invalid_grant"


@pytest.mark.parametrize(
    "uri",
    [
        "http://hubguard.example/oauth/callback",  # http only for localhost
        "https://127.0.0.1/oauth/callback",  # a domain, not an IP
        "http://127.0.0.1:8000/oauth/callback",
        "https://[::1]/oauth/callback",
        "ftp://hubguard.example/oauth/callback",
        "/oauth/callback",
    ],
)
def test_registering_a_redirect_uri_hubspot_refuses(emulator: Emulator, uri: str) -> None:
    with pytest.raises(EmulatorError) as refused:
        emulator.create_app(redirect_uris=["https://hubguard.example/cb", uri])
    assert refused.value.code == "BAD_REDIRECT_URI"
    assert uri in str(refused.value)


def test_https_domains_and_http_localhost_are_registrable(emulator: Emulator) -> None:
    uris = ["https://hubguard.example/cb", "http://localhost:8000/cb", "https://LOCALHOST/cb"]
    assert emulator.create_app(redirect_uris=uris).redirect_uris == tuple(uris)


def test_pkce_s256(
    emulator: Emulator, client: httpx.Client, app: AppInfo, portal: PortalInfo
) -> None:
    verifier = "v" * 64
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )
    extra = {"code_challenge": challenge, "code_challenge_method": "S256"}
    code = code_for(emulator, app, portal, **extra)
    assert exchange(client, app, code).json()["status"] == "BAD_CODE_VERIFIER"
    code = code_for(emulator, app, portal, **extra)
    assert (
        exchange(client, app, code, code_verifier="w" * 64).json()["status"] == "BAD_CODE_VERIFIER"
    )
    code = code_for(emulator, app, portal, **extra)
    assert exchange(client, app, code, code_verifier=verifier).status_code == 200


def test_refresh_returns_the_same_refresh_token_by_default(
    client: httpx.Client, installed: Installed
) -> None:
    form = token_form(
        installed.app, grant_type="refresh_token", refresh_token=installed.refresh_token
    )
    body = client.post("/oauth/2026-03/token", data=form).json()
    assert body["refresh_token"] == installed.refresh_token
    assert body["access_token"] != installed.access_token


def test_refresh_tokens_rotate_when_switched_on(clock: FakeClock) -> None:
    emulator = Emulator(clock, rotate_refresh_tokens=True)
    app = emulator.create_app(redirect_uris=[REDIRECT])
    portal = emulator.create_portal()
    with httpx.Client(transport=emulator.transport(), base_url="https://api.hubapi.com") as client:
        inst = install(emulator, client, app, portal)
        form = token_form(app, grant_type="refresh_token", refresh_token=inst.refresh_token)
        first = client.post("/oauth/v3/token", data=form).json()
        assert first["refresh_token"] != inst.refresh_token
        reused = client.post("/oauth/v3/token", data=form)
        assert reused.status_code == 400
        assert reused.json()["status"] == "BAD_REFRESH_TOKEN"
        form["refresh_token"] = first["refresh_token"]
        assert client.post("/oauth/v3/token", data=form).status_code == 200
        inst.client.close()


def test_bad_refresh_token_body_is_hubspots(client: httpx.Client, app: AppInfo) -> None:
    response = client.post(
        "/oauth/2026-03/token",
        data=token_form(app, grant_type="refresh_token", refresh_token="na1-nope"),
    )
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_grant"
    assert body["status"] == "BAD_REFRESH_TOKEN"
    assert (
        body["error_description"]
        == body["message"]
        == "refresh token is invalid, expired or revoked"
    )
    assert response.headers["x-hubspot-correlation-id"] == body["correlationId"]


def test_configurable_expires_in(clock: FakeClock) -> None:
    emulator = Emulator(clock, access_token_ttl=120)
    app = emulator.create_app(redirect_uris=[REDIRECT])
    portal = emulator.create_portal()
    with httpx.Client(transport=emulator.transport(), base_url="https://api.hubapi.com") as client:
        code = code_for(emulator, app, portal)
        assert exchange(client, app, code).json()["expires_in"] == 120


# expiry, revocation, introspection ------------------------------------------------------


def test_access_tokens_expire_on_the_emulator_clock(installed: Installed, clock: FakeClock) -> None:
    path = "/conversations/v3/conversations/inboxes"
    clock.advance(1799)
    assert installed.client.get(path).status_code == 200
    clock.advance(1)
    response = installed.client.get(path)
    assert response.status_code == 401
    body = response.json()
    assert body["category"] == "EXPIRED_AUTHENTICATION"
    assert body["message"] == "The OAuth token used to make this call expired 0 second(s) ago."
    clock.advance(42)
    body = installed.client.get(path).json()
    assert body["message"] == "The OAuth token used to make this call expired 42 second(s) ago."
    assert body["context"]["expire time"] == ["2023-11-14T22:43:20.000Z"]


def test_unknown_token_is_invalid_authentication(client: httpx.Client) -> None:
    for headers in ({"Authorization": "Bearer CJunk"}, {}):
        response = client.get("/conversations/v3/conversations/threads", headers=headers)
        assert response.status_code == 401
        assert response.json()["category"] == "INVALID_AUTHENTICATION"
        assert response.headers["x-hubspot-auth-failure"] == "401 Unauthorized"
        assert response.headers["x-hubspot-correlation-id"]


@pytest.mark.parametrize("version", ["2026-03", "v3"])
def test_introspect(
    client: httpx.Client, installed: Installed, version: str, clock: FakeClock
) -> None:
    url = f"/oauth/{version}/token/introspect"
    form = token_form(installed.app, token=installed.access_token)
    body = client.post(url, data=form).json()
    assert body["active"] is True
    assert body["token_use"] == "access_token"
    assert body["hub_id"] == installed.portal.portal_id
    assert body["expires_in"] == 1800
    assert body["client_id"] == installed.app.client_id
    refresh = client.post(url, data=token_form(installed.app, token=installed.refresh_token)).json()
    assert refresh["active"] is True
    assert refresh["token_use"] == "refresh_token"
    assert client.post(url, data=token_form(installed.app, token="unknown")).json() == {
        "active": False
    }
    clock.advance(1800)
    assert client.post(url, data=form).json() == {"active": False}


def test_revoke_kills_the_refresh_token(client: httpx.Client, installed: Installed) -> None:
    form = token_form(installed.app, token=installed.refresh_token)
    assert client.post("/oauth/2026-03/token/revoke", data=form).status_code == 200
    refresh = token_form(
        installed.app, grant_type="refresh_token", refresh_token=installed.refresh_token
    )
    assert client.post("/oauth/2026-03/token", data=refresh).json()["status"] == "BAD_REFRESH_TOKEN"
    assert (
        client.post("/oauth/v3/token/revoke", data=token_form(installed.app, token="x")).status_code
        == 200
    )


def test_revoke_grant_kills_refresh_and_access(
    emulator: Emulator, client: httpx.Client, installed: Installed
) -> None:
    assert emulator.revoke_grant(installed.portal.portal_id) == 1
    assert installed.client.get("/conversations/v3/conversations/inboxes").status_code == 401
    refresh = token_form(
        installed.app, grant_type="refresh_token", refresh_token=installed.refresh_token
    )
    assert client.post("/oauth/v1/token", data=refresh).json()["status"] == "BAD_REFRESH_TOKEN"


def test_v1_token_metadata(client: httpx.Client, installed: Installed) -> None:
    info = client.get(f"/oauth/v1/access-tokens/{installed.access_token}").json()
    assert info["hub_id"] == installed.portal.portal_id
    assert info["app_id"] == installed.app.app_id
    assert info["user"] == installed.portal.users[0].email
    assert info["scopes"] == list(SCOPES)
    assert info["token_type"] == "access"
    refresh = client.get(f"/oauth/v1/refresh-tokens/{installed.refresh_token}").json()
    assert refresh["client_id"] == installed.app.client_id
    assert refresh["token"] == installed.refresh_token
    assert client.delete(f"/oauth/v1/refresh-tokens/{installed.refresh_token}").status_code == 204
    assert client.get(f"/oauth/v1/refresh-tokens/{installed.refresh_token}").status_code == 404
    # HubSpot: deleting the refresh token leaves access tokens alive
    assert installed.client.get("/conversations/v3/conversations/inboxes").status_code == 200
