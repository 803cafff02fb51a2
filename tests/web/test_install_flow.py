"""The OAuth install flow through the app's HTTP routes, against the emulator."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from web_stack import Stack, build_stack

from hubguard.clock import FakeClock
from hubguard.errors import EmulatorError
from hubguard.models import AuthType, InstallationStatus
from hubguard.web.install import COOKIE_NAME
from hubguard.web.install_state import STATE_TTL_SECONDS


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def _start(stack: Stack, path: str = "/oauth/install") -> str:
    response = stack.web.get(path)
    assert response.status_code == 302
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "samesite=lax" in cookie.lower()
    return response.headers["location"]


def _installed_count(stack: Stack) -> int:
    return len(stack.services.vault.list())


def test_install_asks_minimal_scopes_with_state_and_pkce(stack: Stack) -> None:
    authorize = _start(stack)
    query = _query(authorize)
    assert authorize.startswith("https://app.hubspot.com/oauth/authorize?")
    assert query["client_id"] == stack.app.client_id
    assert query["redirect_uri"] == "http://localhost:8000/oauth/callback"
    assert query["scope"].split() == ["conversations.read", "conversations.write", "oauth"]
    assert query["optional_scope"].split() == ["crm.objects.contacts.read"]
    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) == 43
    assert len(query["state"]) >= 32


def test_full_install_stores_an_active_encrypted_installation(stack: Stack) -> None:
    authorize = _start(stack)
    redirect = stack.emulator.consent(authorize, stack.portal.portal_id)
    callback = stack.web.get(redirect.removeprefix("http://localhost:8000"))
    assert callback.status_code == 200, callback.text
    assert f"portal {stack.portal.portal_id}" in callback.text
    inst = stack.services.vault.get(stack.portal.portal_id)
    assert inst is not None
    assert inst.auth_type is AuthType.OAUTH
    assert inst.status is InstallationStatus.ACTIVE
    assert set(inst.scopes_granted) >= {"conversations.read", "conversations.write"}
    assert inst.user == "ann@example.com"
    # The code was exchanged on the dated endpoint and introspected there, never on v1.
    paths = [c.path for c in stack.emulator.calls("/oauth/")]
    assert "/oauth/2026-03/token" in paths
    assert "/oauth/2026-03/token/introspect" in paths
    assert not any(p.startswith("/oauth/v1/") for p in paths)
    # The installation works: the vault hands out the token the emulator issued.
    portal = stack.services.hubspot.for_portal(stack.portal.portal_id)
    assert portal.request("GET", "/conversations/v3/conversations/inboxes")["total"] == 2
    ops = [e.operation for e in stack.services.vault.audit_log(stack.portal.portal_id)]
    assert "install" in ops


def test_denied_consent_gets_a_page_and_stores_nothing(stack: Stack) -> None:
    authorize = _start(stack)
    redirect = stack.emulator.consent(authorize, stack.portal.portal_id, approve=False)
    response = stack.web.get(redirect.removeprefix("http://localhost:8000"))
    assert response.status_code == 403
    assert "was not installed" in response.text
    assert _installed_count(stack) == 0


def test_forged_state_is_refused(stack: Stack) -> None:
    authorize = _start(stack)
    redirect = stack.emulator.consent(authorize, stack.portal.portal_id)
    forged = redirect.replace(_query(redirect)["state"], "forged-state-value")
    response = stack.web.get(forged.removeprefix("http://localhost:8000"))
    assert response.status_code == 400
    assert "unknown state" in response.text
    assert _installed_count(stack) == 0


def test_callback_in_another_browser_is_refused(stack: Stack) -> None:
    authorize = _start(stack)
    redirect = stack.emulator.consent(authorize, stack.portal.portal_id)
    stack.web.cookies.clear()
    response = stack.web.get(redirect.removeprefix("http://localhost:8000"))
    assert response.status_code == 400
    assert "another browser" in response.text
    assert _installed_count(stack) == 0


def test_replayed_callback_is_refused(stack: Stack) -> None:
    authorize = _start(stack)
    redirect = stack.emulator.consent(authorize, stack.portal.portal_id)
    path = redirect.removeprefix("http://localhost:8000")
    cookie = stack.web.cookies.get(COOKIE_NAME)
    assert stack.web.get(path).status_code == 200
    stack.web.cookies.set(COOKIE_NAME, cookie or "", path="/oauth")
    replay = stack.web.get(path)
    assert replay.status_code == 400
    assert "already used" in replay.text


def test_expired_state_is_refused(stack: Stack, clock: FakeClock) -> None:
    authorize = _start(stack)
    redirect = stack.emulator.consent(authorize, stack.portal.portal_id)
    clock.advance(STATE_TTL_SECONDS + 1)
    response = stack.web.get(redirect.removeprefix("http://localhost:8000"))
    assert response.status_code == 400
    assert "expired" in response.text
    assert _installed_count(stack) == 0


def test_expired_code_is_refused(stack: Stack, clock: FakeClock) -> None:
    authorize = _start(stack)
    redirect = stack.emulator.consent(authorize, stack.portal.portal_id)
    clock.advance(STATE_TTL_SECONDS - 5)  # the state is still good; HubSpot's code is not
    response = stack.web.get(redirect.removeprefix("http://localhost:8000"))
    assert response.status_code == 400
    assert "expired or was already used" in response.text
    assert _installed_count(stack) == 0


def test_install_pinned_to_a_portal_refuses_another(stack: Stack) -> None:
    other = stack.emulator.create_portal(users=["zed@example.com"])
    authorize = _start(stack, f"/oauth/install?portal={stack.portal.portal_id}")
    assert f"/oauth/{stack.portal.portal_id}/authorize" in authorize
    # HubSpot itself refuses consent for another account on a pinned URL ...
    with pytest.raises(EmulatorError, match="pinned"):
        stack.emulator.consent(authorize, other.portal_id)
    # ... and hubguard checks again, should a grant for another portal come back anyway.
    unpinned = authorize.replace(f"/oauth/{stack.portal.portal_id}/authorize", "/oauth/authorize")
    redirect = stack.emulator.consent(unpinned, other.portal_id)
    response = stack.web.get(redirect.removeprefix("http://localhost:8000"))
    assert response.status_code == 400
    assert "Wrong HubSpot account" in response.text
    assert _installed_count(stack) == 0
    # The grant HubSpot made for the other portal is revoked, not left live with no record here.
    revoked = stack.emulator.calls("/oauth/2026-03/token/revoke")
    assert len(revoked) == 1
    assert revoked[0].status == 200


def test_legacy_v1_endpoints_only_behind_the_setting(clock: FakeClock, tmp_path: Path) -> None:
    stack = build_stack(clock, f"sqlite:///{tmp_path / 'v1.db'}", oauth_api_version="v1")
    try:
        authorize = _start(stack)
        redirect = stack.emulator.consent(authorize, stack.portal.portal_id)
        assert stack.web.get(redirect.removeprefix("http://localhost:8000")).status_code == 200
        paths = {c.path for c in stack.emulator.calls("/oauth/")}
        assert "/oauth/v1/token" in paths
        assert not any(p.startswith("/oauth/2026-03") for p in paths)
    finally:
        stack.web.close()
        stack.services.close()
        stack.emulator.close()


def test_healthz(stack: Stack) -> None:
    response = stack.web.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_install_without_a_configured_app_says_what_to_set(
    clock: FakeClock, tmp_path: Path
) -> None:
    stack = build_stack(clock, f"sqlite:///{tmp_path / 'h.db'}", client_id=None)
    try:
        page = stack.web.get("/oauth/install")
        assert page.status_code == 503
        assert "HUBGUARD_CLIENT_ID" in page.text
        signin = stack.web.get("/dashboard").text
        assert "Sign in with HubSpot" not in signin  # no HubSpot app: no such button
    finally:
        stack.web.close()
        stack.services.close()
        stack.emulator.close()
