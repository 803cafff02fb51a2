"""Rate limits (reference §5), fault switches, the call log and the table of bad inputs."""

from __future__ import annotations

import httpx
import pytest
from emulator_helpers import API, REDIRECT, Installed, authorize_url, query_of

from hubguard.clock import FakeClock
from hubguard.emulator import AppInfo, Emulator, PortalInfo
from hubguard.errors import EmulatorError

INBOXES = "/conversations/v3/conversations/inboxes"


# rate limits ----------------------------------------------------------------------------


def test_oauth_limit_is_110_per_rolling_10_seconds(installed: Installed, clock: FakeClock) -> None:
    first = installed.client.get(INBOXES)
    assert first.headers["X-HubSpot-RateLimit-Max"] == "110"
    assert first.headers["X-HubSpot-RateLimit-Remaining"] == "109"
    assert first.headers["X-HubSpot-RateLimit-Interval-Milliseconds"] == "10000"
    assert "X-HubSpot-RateLimit-Daily" not in first.headers  # never for OAuth
    clock.advance(5)
    for _ in range(109):
        assert installed.client.get(INBOXES).status_code == 200
    limited = installed.client.get(INBOXES)
    assert limited.status_code == 429
    body = limited.json()
    assert body["status"] == "error"
    assert body["errorType"] == "RATE_LIMIT"
    assert body["policyName"] == "TEN_SECONDLY_ROLLING"
    assert body["message"] == "You have reached your ten_secondly_rolling limit."
    assert body["correlationId"]
    assert limited.headers["Retry-After"] == "5"
    assert limited.headers["X-HubSpot-RateLimit-Remaining"] == "0"
    clock.advance(5)  # the first request leaves the window; the rest are still inside it
    assert installed.client.get(INBOXES).status_code == 200
    assert installed.client.get(INBOXES).status_code == 429
    clock.advance(5)
    assert installed.client.get(INBOXES).status_code == 200


def test_deprecated_secondly_headers_are_still_sent(
    emulator: Emulator, installed: Installed, client: httpx.Client, clock: FakeClock
) -> None:
    # reference §5: still sent, deprecated, not enforced; the 10 s limit expressed per second
    first = installed.client.get(INBOXES)
    assert first.headers["X-HubSpot-RateLimit-Secondly"] == "11"
    assert first.headers["X-HubSpot-RateLimit-Secondly-Remaining"] == "10"
    assert installed.client.get(INBOXES).headers["X-HubSpot-RateLimit-Secondly-Remaining"] == "9"
    clock.advance(1)  # the earlier requests are out of the current second
    assert installed.client.get(INBOXES).headers["X-HubSpot-RateLimit-Secondly-Remaining"] == "10"
    for _ in range(11):
        installed.client.get(INBOXES)
    over = installed.client.get(INBOXES)
    assert over.status_code == 200  # not enforced
    assert over.headers["X-HubSpot-RateLimit-Secondly-Remaining"] == "0"
    portal = emulator.create_portal(tier="enterprise")
    key = emulator.create_service_key(portal.portal_id, ["conversations.read"])
    keyed = client.get(INBOXES, headers={"Authorization": f"Bearer {key}"})
    assert keyed.headers["X-HubSpot-RateLimit-Secondly"] == "19"
    assert keyed.headers["X-HubSpot-RateLimit-Secondly-Remaining"] == "18"


def test_limits_are_per_app_per_portal(
    emulator: Emulator, installed: Installed, client: httpx.Client
) -> None:
    for _ in range(110):
        installed.client.get(INBOXES)
    assert installed.client.get(INBOXES).status_code == 429
    key = emulator.create_service_key(installed.portal.portal_id, ["conversations.read"])
    other = client.get(INBOXES, headers={"Authorization": f"Bearer {key}"})
    assert other.status_code == 200


@pytest.mark.parametrize(
    ("tier", "increase", "burst", "daily"),
    [
        ("free", False, 100, 250_000),
        ("starter", False, 100, 250_000),
        ("professional", False, 190, 625_000),
        ("enterprise", False, 190, 1_000_000),
        ("professional", True, 250, 1_625_000),
    ],
)
def test_service_key_tier_limits(
    emulator: Emulator, client: httpx.Client, tier: str, increase: bool, burst: int, daily: int
) -> None:
    portal = emulator.create_portal(tier=tier, api_limit_increase=increase)
    key = emulator.create_service_key(portal.portal_id, ["conversations.read"])
    headers = {"Authorization": f"Bearer {key}"}
    first = client.get(INBOXES, headers=headers)
    assert first.headers["X-HubSpot-RateLimit-Max"] == str(burst)
    assert first.headers["X-HubSpot-RateLimit-Daily"] == str(daily)
    assert first.headers["X-HubSpot-RateLimit-Daily-Remaining"] == str(daily - 1)
    for _ in range(burst - 1):
        client.get(INBOXES, headers=headers)
    assert client.get(INBOXES, headers=headers).json()["policyName"] == "TEN_SECONDLY_ROLLING"


def test_daily_limit(clock: FakeClock) -> None:
    emulator = Emulator(clock, tier_limits={"free": (100, 150)})  # a small day keeps it fast
    portal = emulator.create_portal(tier="free")
    key = emulator.create_service_key(portal.portal_id, ["conversations.read"])
    headers = {"Authorization": f"Bearer {key}"}
    clock.advance(86_400 - clock.now() % 86_400)  # midnight UTC
    with httpx.Client(transport=emulator.transport(), base_url=API) as client:
        for i in range(150):
            if i % 100 == 99:
                clock.advance(10)
            assert client.get(INBOXES, headers=headers).status_code == 200
        limited = client.get(INBOXES, headers=headers)
        assert limited.status_code == 429
        assert limited.json()["policyName"] == "DAILY"
        assert limited.json()["message"] == "You have reached your daily limit."
        assert limited.headers["X-HubSpot-RateLimit-Daily-Remaining"] == "0"
        clock.advance(86_400)
        assert client.get(INBOXES, headers=headers).status_code == 200


def test_retry_after_can_be_switched_off(clock: FakeClock) -> None:
    emulator = Emulator(clock, retry_after_header=False)
    portal = emulator.create_portal(tier="free")
    key = emulator.create_service_key(portal.portal_id, ["conversations.read"])
    with httpx.Client(transport=emulator.transport(), base_url=API) as client:
        headers = {"Authorization": f"Bearer {key}"}
        for _ in range(100):
            client.get(INBOXES, headers=headers)
        limited = client.get(INBOXES, headers=headers)
    assert limited.status_code == 429
    assert "Retry-After" not in limited.headers


def test_oauth_endpoints_are_not_rate_limited(client: httpx.Client, app: AppInfo) -> None:
    form = {"client_id": app.client_id, "client_secret": app.client_secret, "token": "x"}
    for _ in range(150):
        assert client.post("/oauth/2026-03/token/introspect", data=form).status_code == 200


# faults -------------------------------------------------------------------------------


def test_error_fault_hits_the_next_n_matching_responses(
    emulator: Emulator, installed: Installed
) -> None:
    emulator.add_fault(
        "error", path_prefix="/conversations/v3/conversations/threads", status=503, count=2
    )
    assert installed.client.get(INBOXES).status_code == 200  # other paths unaffected
    for _ in range(2):
        failed = installed.client.get("/conversations/v3/conversations/threads")
        assert failed.status_code == 503
        assert failed.json()["category"] == "INTERNAL_ERROR"
        assert failed.headers["x-hubspot-correlation-id"]
    assert installed.client.get("/conversations/v3/conversations/threads").status_code == 200


def test_error_fault_with_method_and_body(emulator: Emulator, installed: Installed) -> None:
    body = {
        "status": "error",
        "message": "custom",
        "category": "VALIDATION_ERROR",
        "correlationId": "c",
    }
    emulator.add_fault("error", path_prefix=INBOXES, method="POST", status=400, body=body)
    assert installed.client.get(INBOXES).status_code == 200
    assert emulator.faults()[0]["method"] == "POST"
    emulator.clear_faults()
    assert emulator.faults() == []


def test_429_fault_looks_like_hubspots(emulator: Emulator, installed: Installed) -> None:
    emulator.add_fault("error", path_prefix="/oauth", status=429)
    response = installed.client.post("/oauth/2026-03/token", data={})
    assert response.status_code == 429
    assert response.json()["policyName"] == "TEN_SECONDLY_ROLLING"
    assert response.headers["Retry-After"] == "1"


def test_fault_until_cleared(emulator: Emulator, installed: Installed) -> None:
    emulator.add_fault("error", path_prefix="/", status=502, count=None)
    for _ in range(5):
        assert installed.client.get(INBOXES).status_code == 502
    emulator.clear_faults()
    assert installed.client.get(INBOXES).status_code == 200


def test_latency_fault_spends_clock_time(
    emulator: Emulator, installed: Installed, clock: FakeClock
) -> None:
    emulator.add_fault("latency", path_prefix=INBOXES, seconds=7.5)
    before = clock.now()
    assert installed.client.get(INBOXES).status_code == 200
    assert clock.now() - before == 7.5
    installed.client.get(INBOXES)
    assert clock.now() - before == 7.5  # count=1: only once


def test_latency_past_expiry_expires_the_token(
    emulator: Emulator, installed: Installed, clock: FakeClock
) -> None:
    clock.advance(1795)
    emulator.add_fault("latency", seconds=10)
    assert installed.client.get(INBOXES).json()["category"] == "EXPIRED_AUTHENTICATION"


def test_revoke_grant_fault(emulator: Emulator, installed: Installed) -> None:
    emulator.add_fault(
        "revoke_grant", portal_id=installed.portal.portal_id, app_id=installed.app.app_id
    )
    response = installed.client.get(INBOXES)
    assert response.status_code == 401
    assert response.json()["category"] == "INVALID_AUTHENTICATION"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kind": "explode"},
        {"kind": "error", "status": 200},
        {"kind": "error", "count": 0},
        {"kind": "revoke_grant"},
    ],
)
def test_bad_faults_are_refused(emulator: Emulator, kwargs: dict[str, object]) -> None:
    with pytest.raises(EmulatorError):
        emulator.add_fault(**kwargs)  # type: ignore[arg-type]


# call log -----------------------------------------------------------------------------


def test_call_log_records_every_request_without_secrets(
    emulator: Emulator, client: httpx.Client, installed: Installed
) -> None:
    installed.client.get(INBOXES, params={"limit": 5})
    client.get(f"/oauth/v1/refresh-tokens/{installed.refresh_token}")
    client.post(
        "/oauth/v1/token", params={"client_secret": installed.app.client_secret, "grant_type": "x"}
    )
    calls = emulator.calls()
    assert [c.path for c in emulator.calls("/conversations")] == [INBOXES]
    listed = emulator.calls("/conversations")[0]
    assert listed.method == "GET"
    assert listed.status == 200
    assert listed.auth == "oauth"
    assert listed.portal_id == installed.portal.portal_id
    assert listed.app_id == installed.app.app_id
    assert listed.query == {"limit": "5"}
    text = repr(calls)
    for secret in (installed.access_token, installed.refresh_token, installed.app.client_secret):
        assert secret not in text
    assert "/oauth/v1/refresh-tokens/[redacted]" in [c.path for c in calls]
    token_calls = emulator.calls("/oauth/2026-03/token")
    assert token_calls[0].status == 200  # the install's code exchange


# bad input: HubSpot's status and body, never a 500 -----------------------------------------


def _form(app: AppInfo, **fields: str) -> dict[str, str]:
    return {"client_id": app.client_id, "client_secret": app.client_secret, **fields}


def test_bad_input_table(
    emulator: Emulator,
    client: httpx.Client,
    app: AppInfo,
    portal: PortalInfo,
    installed: Installed,
    clock: FakeClock,
) -> None:
    used_code = query_of(emulator.consent(authorize_url(app), portal.portal_id))["code"]
    client.post(
        "/oauth/v1/token",
        data=_form(app, grant_type="authorization_code", code=used_code, redirect_uri=REDIRECT),
    )
    old_code = query_of(emulator.consent(authorize_url(app), portal.portal_id))["code"]
    clock.advance(61)
    # re-authenticate: the installed token is still fresh (61 s)
    authed = installed.auth
    thread = "/conversations/v3/conversations/threads"
    cases: list[tuple[str, str, dict[str, object], int, str, str]] = [
        # (method, path, request kwargs, status, body key, expected value)
        (
            "POST",
            "/oauth/v1/token",
            {
                "data": {
                    "grant_type": "authorization_code",
                    "client_id": "nope",
                    "client_secret": "x",
                }
            },
            400,
            "status",
            "BAD_CLIENT_ID",
        ),
        (
            "POST",
            "/oauth/2026-03/token",
            {"data": _form(app, grant_type="refresh_token") | {"client_secret": "wrong"}},
            400,
            "status",
            "BAD_CLIENT_SECRET",
        ),
        (
            "POST",
            "/oauth/2026-03/token",
            {
                "data": _form(
                    app, grant_type="authorization_code", code=used_code, redirect_uri=REDIRECT
                )
            },
            400,
            "status",
            "BAD_AUTH_CODE",
        ),
        (
            "POST",
            "/oauth/v3/token",
            {
                "data": _form(
                    app, grant_type="authorization_code", code=old_code, redirect_uri=REDIRECT
                )
            },
            400,
            "status",
            "EXPIRED_AUTH_CODE",
        ),
        (
            "POST",
            "/oauth/v3/token",
            {
                "data": _form(
                    app, grant_type="authorization_code", code="zzz", redirect_uri="https://x"
                )
            },
            400,
            "status",
            "BAD_AUTH_CODE",
        ),
        (
            "POST",
            "/oauth/v3/token",
            {"data": _form(app, grant_type="password")},
            400,
            "error",
            "unsupported_grant_type",
        ),
        ("POST", "/oauth/v3/token", {"data": _form(app)}, 400, "error", "invalid_request"),
        (
            "POST",
            "/oauth/2026-03/token",
            {"content": b"{not json", "headers": {"content-type": "application/json"}},
            400,
            "category",
            "VALIDATION_ERROR",
        ),
        (
            "POST",
            "/oauth/2026-03/token",
            {
                "content": b"\xff\xfe",
                "headers": {"content-type": "application/x-www-form-urlencoded"},
            },
            400,
            "category",
            "VALIDATION_ERROR",
        ),
        (
            "POST",
            "/oauth/2026-03/token/introspect",
            {"data": {"token": "x"}},
            400,
            "error",
            "invalid_client",
        ),
        (
            "POST",
            "/oauth/2026-03/token/revoke",
            {"data": {"client_id": app.client_id, "client_secret": "no", "token": "x"}},
            400,
            "error",
            "invalid_client",
        ),
        ("GET", "/oauth/v1/access-tokens/nope", {}, 404, "category", "OBJECT_NOT_FOUND"),
        ("DELETE", "/oauth/v1/refresh-tokens/nope", {}, 404, "category", "OBJECT_NOT_FOUND"),
        ("GET", f"{thread}/999", {"headers": authed}, 404, "category", "OBJECT_NOT_FOUND"),
        (
            "PATCH",
            f"{thread}/999",
            {"headers": authed, "json": {"status": "CLOSED"}},
            404,
            "category",
            "OBJECT_NOT_FOUND",
        ),
        ("DELETE", f"{thread}/999", {"headers": authed}, 404, "category", "OBJECT_NOT_FOUND"),
        (
            "POST",
            f"{thread}/999/messages",
            {"headers": authed, "json": {}},
            404,
            "category",
            "OBJECT_NOT_FOUND",
        ),
        ("GET", f"{thread}?after=abc", {"headers": authed}, 400, "category", "VALIDATION_ERROR"),
        (
            "GET",
            f"{thread}?archived=maybe",
            {"headers": authed},
            400,
            "category",
            "VALIDATION_ERROR",
        ),
        (
            "GET",
            f"{thread}?latestMessageTimestampAfter=yesterday",
            {"headers": authed},
            400,
            "category",
            "VALIDATION_ERROR",
        ),
        (
            "POST",
            "/conversations/v3/conversations/actors/batch/read",
            {"headers": authed, "content": b"[1,"},
            400,
            "category",
            "VALIDATION_ERROR",
        ),
        (
            "POST",
            "/conversations/v3/conversations/actors/batch/read",
            {"headers": authed, "json": [1]},
            400,
            "category",
            "VALIDATION_ERROR",
        ),
        (
            "POST",
            "/conversations/v3/conversations/actors/batch/read",
            {"headers": authed, "json": {"inputs": "A-1"}},
            400,
            "category",
            "VALIDATION_ERROR",
        ),
        (
            "GET",
            "/crm/v3/objects/contacts",
            {"headers": authed},
            404,
            "category",
            "OBJECT_NOT_FOUND",
        ),
        ("PUT", INBOXES, {"headers": authed}, 405, "category", "VALIDATION_ERROR"),
        ("GET", "/oauth/authorize?client_id=nope", {}, 400, "", ""),
        ("POST", "/oauth/authorize/decision", {"data": {"account": "x"}}, 400, "", ""),
        (
            "POST",
            "/oauth/authorize/decision",
            {
                "data": {
                    "account": f"{portal.portal_id}:{portal.users[0].id}",
                    "authorize_url": "https://evil/",
                }
            },
            400,
            "",
            "",
        ),
        ("GET", "/webhooks/v3/abc/settings", {}, 401, "category", "INVALID_AUTHENTICATION"),
        ("POST", "/_emulator/portals", {"json": {"tier": "platinum"}}, 400, "code", "BAD_TIER"),
        ("POST", "/_emulator/portals", {"json": {"users": []}}, 400, "code", "BAD_USER"),
        ("POST", "/_emulator/portals", {"content": b"nope"}, 400, "category", "VALIDATION_ERROR"),
        ("POST", "/_emulator/apps", {"json": {"scopes": "oauth"}}, 400, "code", "BAD_FIELD"),
        (
            "POST",
            "/_emulator/apps",
            {"json": {"redirect_uris": ["http://10.0.0.7/oauth/callback"]}},
            400,
            "code",
            "BAD_REDIRECT_URI",
        ),
        (
            "POST",
            "/_emulator/apps",
            {"json": {"subscriptions": [{"x": 1}]}},
            400,
            "code",
            "BAD_SUBSCRIPTION",
        ),
        (
            "POST",
            "/_emulator/portals/1/inbound",
            {"json": {"text": "x", "from": "a@x.org"}},
            404,
            "code",
            "UNKNOWN_PORTAL",
        ),
        ("POST", "/_emulator/portals/abc/inbound", {"json": {}}, 404, "code", "UNKNOWN_PORTAL"),
        (
            "POST",
            f"/_emulator/portals/{portal.portal_id}/inbound",
            {"json": {"from": "a@x.org"}},
            400,
            "code",
            "MISSING_FIELD",
        ),
        (
            "POST",
            f"/_emulator/portals/{portal.portal_id}/inbound",
            {"json": {"text": "x", "from": "a@x.org", "channel": "fax"}},
            400,
            "code",
            "BAD_CHANNEL",
        ),
        (
            "POST",
            f"/_emulator/portals/{portal.portal_id}/inbound",
            {"json": {"text": "x", "from": "a@x.org", "inbox_id": "1"}},
            404,
            "code",
            "UNKNOWN_INBOX",
        ),
        (
            "POST",
            f"/_emulator/portals/{portal.portal_id}/threads/1/agent-action",
            {"json": {"action": "close"}},
            404,
            "code",
            "UNKNOWN_THREAD",
        ),
        (
            "POST",
            f"/_emulator/portals/{portal.portal_id}/threads/1/agent-action",
            {"json": {"action": "spam"}},
            400,
            "code",
            "BAD_ACTION",
        ),
        (
            "POST",
            "/_emulator/consent",
            {"json": {"authorize_url": "https://x/y", "portal_id": portal.portal_id}},
            400,
            "code",
            "BAD_AUTHORIZE_URL",
        ),
        (
            "POST",
            "/_emulator/consent",
            {"json": {"authorize_url": authorize_url(app), "portal_id": 5}},
            400,
            "code",
            "BAD_PORTAL",
        ),
        (
            "POST",
            "/_emulator/consent",
            {
                "json": {
                    "authorize_url": authorize_url(app),
                    "portal_id": portal.portal_id,
                    "user_id": 1,
                }
            },
            400,
            "code",
            "BAD_USER",
        ),
        (
            "POST",
            "/_emulator/consent",
            {"json": {"authorize_url": authorize_url(app), "portal_id": "x"}},
            400,
            "code",
            "BAD_FIELD",
        ),
        ("POST", "/_emulator/faults", {"json": {"kind": "boom"}}, 400, "code", "BAD_FAULT"),
        ("POST", "/_emulator/clock", {"json": {"seconds": -1}}, 400, "code", "BAD_CLOCK"),
        ("POST", "/_emulator/clock", {"json": {"seconds": True}}, 400, "code", "BAD_FIELD"),
        (
            "POST",
            "/_emulator/portals/1/service-keys",
            {"json": {"scopes": []}},
            404,
            "code",
            "UNKNOWN_PORTAL",
        ),
    ]
    for method, path, kwargs, status, key, value in cases:
        response = client.request(method, path, **kwargs)  # type: ignore[arg-type]
        assert response.status_code == status, (method, path, response.status_code, response.text)
        assert response.headers["x-hubspot-correlation-id"]
        if key:
            assert response.json()[key] == value, (method, path, response.text)
