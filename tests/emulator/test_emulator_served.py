"""The served emulator over real HTTP: HubSpot's official SDKs, a smoke test, the CLI."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from emulator_helpers import REDIRECT, SCOPES, authorize_url, query_of
from typer.testing import CliRunner

from hubguard.clock import FakeClock, OffsetClock
from hubguard.emulator import AppInfo, Emulator, PortalInfo, running


@pytest.fixture
def served() -> Iterator[tuple[Emulator, str]]:
    emulator = Emulator(OffsetClock())
    with running(emulator) as base_url:
        yield emulator, base_url
    emulator.close()


def test_smoke_over_http(served: tuple[Emulator, str]) -> None:
    _emulator, base = served
    with httpx.Client(base_url=base) as http:
        app = http.post(
            "/_emulator/apps", json={"redirect_uris": [REDIRECT], "scopes": list(SCOPES)}
        )
        assert app.status_code == 201
        portal = http.post(
            "/_emulator/portals", json={"inboxes": ["Support"], "users": ["a@x.org"]}
        )
        assert portal.status_code == 201
        pid = portal.json()["portal_id"]
        client_id = app.json()["client_id"]
        url = f"{base}/oauth/authorize?client_id={client_id}&redirect_uri={REDIRECT}&scope=oauth%20conversations.read%20conversations.write&state=abc"
        page = http.get(url)
        assert page.status_code == 200
        assert "Approve" in page.text
        # what a browser does when the user clicks Approve
        decision = http.post(
            "/oauth/authorize/decision",
            data={
                "authorize_url": url,
                "account": f"{pid}:{portal.json()['user_ids'][0]}",
                "decision": "approve",
            },
        )
        assert decision.status_code == 302
        code = parse_qs(urlsplit(decision.headers["location"]).query)["code"][0]
        token = http.post(
            "/oauth/v3/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": REDIRECT,
                "client_id": client_id,
                "client_secret": app.json()["client_secret"],
            },
        ).json()
        inbound = http.post(
            f"/_emulator/portals/{pid}/inbound",
            json={"from": "v@x.org", "text": "hello", "subject": "S"},
        )
        assert inbound.status_code == 201
        threads = http.get(
            "/conversations/v3/conversations/threads",
            headers={"Authorization": f"Bearer {token['access_token']}"},
        )
        assert threads.json()["results"][0]["id"] == inbound.json()["thread_id"]
        assert http.post("/_emulator/clock", json={"seconds": 1800}).status_code == 200
        expired = http.get(
            "/conversations/v3/conversations/threads",
            headers={"Authorization": f"Bearer {token['access_token']}"},
        )
        assert expired.json()["category"] == "EXPIRED_AUTHENTICATION"
        calls = http.get("/_emulator/calls", params={"path": "/conversations"}).json()["results"]
        assert [c["status"] for c in calls] == [200, 401]
        assert token["access_token"] not in json.dumps(http.get("/_emulator/calls").json())


def test_served_mode_delivers_webhooks_in_the_background(clock: FakeClock) -> None:
    received: list[bytes] = []

    def hook(request: httpx.Request) -> httpx.Response:
        received.append(request.read())
        return httpx.Response(200)

    emulator = Emulator(clock, delivery_client=httpx.Client(transport=httpx.MockTransport(hook)))
    app = emulator.create_app(
        redirect_uris=[REDIRECT],
        webhook_url="https://h.example/hook",
        subscriptions=["conversation.creation"],
    )
    portal = emulator.create_portal()
    with running(emulator, poll=0.01) as base, httpx.Client(base_url=base) as http:
        code = query_of(emulator.consent(authorize_url(app), portal.portal_id))["code"]
        http.post(
            "/oauth/2026-03/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": REDIRECT,
                "client_id": app.client_id,
                "client_secret": app.client_secret,
            },
        )
        http.post(
            f"/_emulator/portals/{portal.portal_id}/inbound",
            json={"from": "v@x.org", "text": "hello"},
        )
        waiter = threading.Event()
        for _ in range(500):  # a real background thread: wait (bounded) for it to deliver
            if received:
                break
            waiter.wait(0.01)
    assert received
    assert json.loads(received[0])[0]["subscriptionType"] == "conversation.creation"
    emulator.close()


def _consent_code(base: str, app: AppInfo, portal: PortalInfo) -> str:
    with httpx.Client(base_url=base) as http:
        response = http.post(
            "/_emulator/consent",
            json={"authorize_url": authorize_url(app), "portal_id": portal.portal_id},
        )
        assert response.status_code == 200
        return query_of(response.json()["redirect_url"])["code"]


def test_hubspot_api_client_end_to_end(hubspot_sdk: Any, served: tuple[Emulator, str]) -> None:
    emulator, base = served
    app = emulator.create_app(redirect_uris=[REDIRECT], scopes=SCOPES)
    portal = emulator.create_portal(users=["ann@example.com"])
    for i in range(7):
        emulator.inbound(portal.portal_id, text=f"m{i}", sender=f"s{i}@x.org")
    oauth = hubspot_sdk.Client.create(host=base, base_url=base).oauth
    tokens = oauth.tokens_api.create(
        grant_type="authorization_code",
        code=_consent_code(base, app, portal),
        redirect_uri=REDIRECT,
        client_id=app.client_id,
        client_secret=app.client_secret,
    )
    assert tokens.token_type == "bearer"
    assert tokens.expires_in == 1800
    refreshed = oauth.tokens_api.create(
        grant_type="refresh_token",
        refresh_token=tokens.refresh_token,
        client_id=app.client_id,
        client_secret=app.client_secret,
    )
    assert refreshed.refresh_token == tokens.refresh_token
    info = oauth.access_tokens_api.get(refreshed.access_token)
    assert info.hub_id == portal.portal_id
    assert info.user == "ann@example.com"
    assert info.scopes == list(SCOPES)
    assert 0 < info.expires_in <= 1800
    refresh_info = oauth.refresh_tokens_api.get(tokens.refresh_token)
    assert refresh_info.client_id == app.client_id
    assert refresh_info.hub_id == portal.portal_id

    client = hubspot_sdk.Client.create(
        access_token=refreshed.access_token, host=base, base_url=base
    )
    seen: list[str] = []
    path = "/conversations/v3/conversations/threads?limit=3"
    while True:
        response = client.api_request({"path": path, "method": "GET"})
        assert response.status_code == 200
        body = response.json()
        seen += [t["id"] for t in body["results"]]
        if "paging" not in body:
            break
        path = f"/conversations/v3/conversations/threads?limit=3&after={body['paging']['next']['after']}"
    assert len(seen) == 7
    messages = client.api_request(
        {"path": f"/conversations/v3/conversations/threads/{seen[0]}/messages", "method": "GET"}
    ).json()
    assert messages["results"][0]["text"] == "m0"
    inboxes = client.api_request(
        {"path": "/conversations/v3/conversations/inboxes", "method": "GET"}
    ).json()
    assert inboxes["total"] == 1

    oauth.refresh_tokens_api.archive(tokens.refresh_token)
    from hubspot.oauth import ApiException

    with pytest.raises(ApiException) as dead:
        oauth.tokens_api.create(
            grant_type="refresh_token",
            refresh_token=tokens.refresh_token,
            client_id=app.client_id,
            client_secret=app.client_secret,
        )
    assert dead.value.status == 400
    assert json.loads(dead.value.body)["status"] == "BAD_REFRESH_TOKEN"


def test_hubspot_api_client_reads_crm_contacts(
    hubspot_sdk: Any, served: tuple[Emulator, str]
) -> None:
    emulator, base = served
    portal = emulator.create_portal()
    contact_id = emulator.upsert_contact(
        portal.portal_id,
        "buyer@customer.example",
        firstname="Bea",
        lifecyclestage="customer",
        num_associated_deals=2,
    )
    key = emulator.create_service_key(portal.portal_id, ["crm.objects.contacts.read"])
    contacts = hubspot_sdk.Client.create(access_token=key, host=base, base_url=base).crm.contacts
    wanted = ["lifecyclestage", "num_associated_deals"]  # the SDK repeats the parameter
    by_id = contacts.basic_api.get_by_id(contact_id, properties=wanted)
    assert by_id.id == contact_id
    assert by_id.archived is False
    assert by_id.created_at.tzinfo is not None
    assert by_id.properties["lifecyclestage"] == "customer"
    assert by_id.properties["num_associated_deals"] == "2"
    assert by_id.properties["hs_object_id"] == contact_id
    assert "firstname" not in by_id.properties
    by_email = contacts.basic_api.get_by_id(
        "Buyer@Customer.Example", properties=wanted, id_property="email"
    )
    assert by_email.id == contact_id
    assert by_email.properties == by_id.properties
    from hubspot.crm.contacts import ApiException

    with pytest.raises(ApiException) as missing:
        contacts.basic_api.get_by_id("nobody@x.example", id_property="email")
    assert missing.value.status == 404
    assert json.loads(missing.value.body)["category"] == "OBJECT_NOT_FOUND"
    assert [c.status for c in emulator.calls("/crm")] == [200, 200, 404]


def test_hubspot_sdk_oauth_2026_03(served: tuple[Emulator, str]) -> None:
    import hubspot_sdk

    emulator, base = served
    app = emulator.create_app(redirect_uris=[REDIRECT], scopes=SCOPES)
    portal = emulator.create_portal()
    with hubspot_sdk.HubSpot(access_token="unused", base_url=base, max_retries=0) as sdk:
        token = sdk.auth.oauth.create_token(
            grant_type="authorization_code",
            code=_consent_code(base, app, portal),
            redirect_uri=REDIRECT,
            client_id=app.client_id,
            client_secret=app.client_secret,
        )
        assert token.token_use == "access_token"
        assert token.hub_id == portal.portal_id
        assert token.scopes == list(SCOPES)
        info = sdk.auth.oauth.introspect_token(
            token=token.access_token, client_id=app.client_id, client_secret=app.client_secret
        )
        assert info.active is True
        assert info.token_use == "access_token"  # type: ignore[union-attr]
        assert info.signed_access_token.hub_id == portal.portal_id  # type: ignore[union-attr]
        refresh_info = sdk.auth.oauth.introspect_token(
            token=token.refresh_token, client_id=app.client_id, client_secret=app.client_secret
        )
        assert refresh_info.token_use == "refresh_token"  # type: ignore[union-attr]
        refreshed = sdk.auth.oauth.create_token(
            grant_type="refresh_token",
            refresh_token=token.refresh_token,
            client_id=app.client_id,
            client_secret=app.client_secret,
        )
        assert refreshed.refresh_token == token.refresh_token
        revoked = sdk.auth.oauth.revoke_token(
            token=token.refresh_token, client_id=app.client_id, client_secret=app.client_secret
        )
        assert revoked.status_code == 200
        dead = sdk.auth.oauth.introspect_token(
            token=token.refresh_token, client_id=app.client_id, client_secret=app.client_secret
        )
        assert dead.active is False
        with pytest.raises(hubspot_sdk.BadRequestError):
            sdk.auth.oauth.create_token(
                grant_type="refresh_token",
                refresh_token=token.refresh_token,
                client_id=app.client_id,
                client_secret=app.client_secret,
            )


def test_hubspot_api_client_webhook_subscriptions(
    hubspot_sdk: Any, served: tuple[Emulator, str]
) -> None:
    emulator, base = served
    app = emulator.create_app(
        redirect_uris=[REDIRECT],
        webhook_url="https://h.example/hook",
        subscriptions=["conversation.creation", "conversation.newMessage"],
    )
    client = hubspot_sdk.Client.create(api_key=app.developer_api_key, host=base, base_url=base)
    subs = client.webhooks.subscriptions_api
    first, second = (s.id for s in subs.get_all(app.app_id).results)
    one = subs.get_by_id(first, app.app_id)  # reference §3.3: GET /subscriptions/{id}
    assert (one.id, one.event_type, one.active) == (first, "conversation.creation", True)
    from hubspot.webhooks import ApiException, BatchInputSubscriptionBatchUpdateRequest

    def pause(*ids: str) -> Any:
        inputs = [{"id": int(i), "active": False} for i in ids]
        request = BatchInputSubscriptionBatchUpdateRequest(inputs=inputs)
        return subs.update_batch(app.app_id, batch_input_subscription_batch_update_request=request)

    paused = pause(first, second)
    assert paused.status == "COMPLETE"
    assert [(s.id, s.active) for s in paused.results] == [(first, False), (second, False)]
    assert paused.started_at.tzinfo is not None
    partly = pause(first, "999999")  # one unknown id: 207 with errors, the rest still applied
    assert partly.num_errors == 1
    assert [s.id for s in partly.results] == [first]
    assert partly.errors[0].category == "OBJECT_NOT_FOUND"
    assert partly.errors[0].context == {"ids": ["999999"]}
    with pytest.raises(ApiException) as missing:
        subs.get_by_id("999999", app.app_id)
    assert missing.value.status == 404
    assert [c.status for c in emulator.calls("/webhooks")] == [200, 200, 200, 207, 404]
    # The settings, which both SDKs' SettingsResponse require createdAt on.
    settings = client.webhooks.settings_api.get_all(app.app_id)
    assert settings.target_url == "https://h.example/hook"
    assert settings.created_at.tzinfo is not None


def test_hubspot_sdk_webhooks_on_the_dated_path(served: tuple[Emulator, str]) -> None:
    import hubspot_sdk

    emulator, base = served
    app = emulator.create_app(
        redirect_uris=[REDIRECT],
        webhook_url="https://h.example/hook",
        subscriptions=["conversation.creation"],
    )
    with hubspot_sdk.HubSpot(
        access_token="unused",
        developer_api_key=app.developer_api_key,
        base_url=base,
        max_retries=0,
    ) as sdk:
        assert sdk.webhooks.get_settings(app.app_id).target_url == "https://h.example/hook"
        [sub] = sdk.webhooks.list_event_subscriptions(app.app_id).results
        assert sub.event_type == "conversation.creation"
        assert sub.active is True
    assert {c.path for c in emulator.calls("/webhooks")} == {
        f"/webhooks/2026-03/{app.app_id}/settings",
        f"/webhooks/2026-03/{app.app_id}/subscriptions",
    }
    assert [c.status for c in emulator.calls("/webhooks")] == [200, 200]


def test_cli_serve_help() -> None:
    from hubguard.cli import app

    result = CliRunner().invoke(app, ["emulator", "serve", "--help"])
    assert result.exit_code == 0
    assert "--port" in result.output


def test_offset_clock_time_is_real_time(served: tuple[Emulator, str]) -> None:
    _emulator, base = served
    now = httpx.get(f"{base}/_emulator/clock").json()["now"]
    assert abs(now - time.time()) < 5
