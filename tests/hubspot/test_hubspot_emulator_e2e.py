"""End to end against the HubSpot emulator (in process, FakeClock): the issue's acceptance."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime

import httpx
import pytest
from hubspot_emulated import app_settings, hub_client, oauth_install

from hubguard.clock import FakeClock
from hubguard.config import Secret
from hubguard.emulator import Emulator
from hubguard.errors import (
    MissingScopesError,
    NeedsReauthError,
    NotFoundError,
    ServiceKeyRejectedError,
)
from hubguard.hubspot.client import HubSpotClient
from hubguard.hubspot.conversations import Conversations
from hubguard.hubspot.scopes import audit_scopes, observed_missing_scopes
from hubguard.models import InstallationStatus
from hubguard.vault.store import SqlTokenVault


class NoBudget:
    """Lets everything through, so the emulator's own limit is what the client meets."""

    def acquire(self, portal_id: int) -> None:
        return None

    def observe(self, portal_id: int, headers: Mapping[str, str]) -> None:
        return None

    def penalise(self, portal_id: int, retry_after: float) -> None:
        return None


@pytest.fixture
def emulator(clock: FakeClock) -> Iterator[Emulator]:
    emu = Emulator(clock, seed=1)
    yield emu
    emu.close()


@pytest.fixture
def setup(
    emulator: Emulator, vault: SqlTokenVault, clock: FakeClock
) -> Iterator[tuple[HubSpotClient, int]]:
    settings = app_settings(emulator)
    portal_id = oauth_install(emulator, vault, settings, clock)
    client = hub_client(settings, vault, clock, emulator.transport())
    yield client, portal_id
    client.close()


def _token_calls(emulator: Emulator) -> int:
    return len([c for c in emulator.calls("/oauth/") if c.path.endswith("/token")])


def test_conversations_round_trip(
    setup: tuple[HubSpotClient, int], emulator: Emulator, clock: FakeClock
) -> None:
    client, portal_id = setup
    convo = Conversations(client.for_portal(portal_id))
    inboxes = convo.list_inboxes()
    assert [i.name for i in inboxes] == ["Support"]
    arrived = emulator.inbound(
        portal_id, text="Cheap pills!!!", sender="spam@bad.example", subject="WIN"
    )
    threads = list(convo.list_threads(inbox_id=inboxes[0].id, status="OPEN"))
    assert len(threads) == 1
    thread = threads[0]
    assert thread.status == "OPEN"
    assert thread.spam is False
    assert thread.inbox_id == inboxes[0].id
    messages = convo.list_messages(thread.id)
    incoming = [m for m in messages if m.type == "MESSAGE"]
    assert incoming[0].text == "Cheap pills!!!"
    assert incoming[0].senders[0].address == "spam@bad.example"
    assert incoming[0].direction == "INCOMING"
    assert convo.get_message(thread.id, incoming[0].id).id == incoming[0].id
    assert "Cheap pills" in convo.get_original_content(thread.id, incoming[0].id).text
    note = convo.post_comment(thread.id, "hubguard: spam (score 0.97)")
    assert note.type == "COMMENT"
    assert convo.close_thread(thread.id).status == "CLOSED"
    assert convo.reopen_thread(thread.id).status == "OPEN"
    convo.archive_thread(thread.id)
    with pytest.raises(NotFoundError):
        convo.get_thread(thread.id)
    assert convo.get_thread(thread.id, archived=True).archived is True
    assert convo.restore_thread(thread.id).archived is False
    actors = convo.batch_read_actors([incoming[0].created_by or ""])
    assert actors[0].id == incoming[0].created_by
    assert arrived is not None


def test_latest_after_and_paging_to_the_end(
    setup: tuple[HubSpotClient, int], emulator: Emulator, clock: FakeClock
) -> None:
    client, portal_id = setup
    for i in range(205):
        emulator.inbound(portal_id, text=f"hello {i}", sender=f"s{i}@x.example")
        clock.advance(1)
    convo = Conversations(client.for_portal(portal_id))
    all_threads = list(convo.list_threads(limit=50))
    assert len(all_threads) == 205
    assert len({t.id for t in all_threads}) == 205
    pages = [c for c in emulator.calls("/conversations/v3/conversations/threads")]
    assert len(pages) == 5
    cutoff = datetime.fromtimestamp(clock.now() - 10.5, tz=UTC)
    recent = list(convo.list_threads(latest_after=cutoff))
    assert len(recent) == 10


def test_refresh_on_expiry(
    setup: tuple[HubSpotClient, int], emulator: Emulator, clock: FakeClock, vault: SqlTokenVault
) -> None:
    client, portal_id = setup
    portal = client.for_portal(portal_id)
    convo = Conversations(portal)
    convo.list_inboxes()
    before = _token_calls(emulator)
    clock.advance(1801)
    convo.list_inboxes()
    convo.list_inboxes()
    assert _token_calls(emulator) == before + 1
    assert [c.status for c in emulator.calls("/conversations/")] == [200, 200, 200]
    inst = vault.get(portal_id)
    assert inst is not None
    assert inst.last_refresh_at == clock.now()


def test_401_one_refresh_one_retry(setup: tuple[HubSpotClient, int], emulator: Emulator) -> None:
    client, portal_id = setup
    emulator.add_fault("error", path_prefix="/conversations/", status=401, count=1)
    before = _token_calls(emulator)
    Conversations(client.for_portal(portal_id)).list_inboxes()
    assert _token_calls(emulator) == before + 1
    assert [c.status for c in emulator.calls("/conversations/")] == [401, 200]


def test_revoked_grant_needs_reauth_after_one_refresh_and_never_hammers(
    setup: tuple[HubSpotClient, int], emulator: Emulator, clock: FakeClock, vault: SqlTokenVault
) -> None:
    client, portal_id = setup
    emulator.revoke_grant(portal_id)
    clock.advance(1801)
    before = _token_calls(emulator)
    convo = Conversations(client.for_portal(portal_id))
    with pytest.raises(NeedsReauthError) as info:
        convo.list_inboxes()
    assert info.value.reconsent_url == f"https://hg.example.com/oauth/install?portal={portal_id}"
    inst = vault.get(portal_id)
    assert inst is not None
    assert inst.status is InstallationStatus.NEEDS_REAUTH
    for _ in range(10):
        with pytest.raises(NeedsReauthError):
            convo.list_inboxes()
        with pytest.raises(NeedsReauthError):
            client.for_portal(portal_id)
    assert _token_calls(emulator) == before + 1
    assert emulator.calls("/conversations/") == []


def test_revoked_while_token_live_401_then_needs_reauth(
    setup: tuple[HubSpotClient, int], emulator: Emulator
) -> None:
    client, portal_id = setup
    convo = Conversations(client.for_portal(portal_id))
    convo.list_inboxes()
    emulator.revoke_grant(portal_id)
    before = _token_calls(emulator)
    with pytest.raises(NeedsReauthError):
        convo.list_inboxes()
    assert _token_calls(emulator) == before + 1
    assert [c.status for c in emulator.calls("/conversations/")][-1] == 401


def test_5xx_and_429_are_retried_with_retry_after(
    emulator: Emulator, vault: SqlTokenVault, clock: FakeClock
) -> None:
    settings = app_settings(emulator)
    portal_id = oauth_install(emulator, vault, settings, clock)
    with hub_client(settings, vault, clock, emulator.transport(), rate_budget=NoBudget()) as client:
        convo = Conversations(client.for_portal(portal_id))
        emulator.add_fault("error", path_prefix="/conversations/", status=503, count=2)
        assert len(convo.list_inboxes()) == 1
        assert [c.status for c in emulator.calls("/conversations/")] == [503, 503, 200]
        start = clock.now()
        for _ in range(115):  # no budget: the emulator's 110 / 10 s answers 429 + Retry-After
            convo.list_inboxes()
    statuses = [c.status for c in emulator.calls("/conversations/")]
    assert statuses.count(429) >= 1
    assert statuses.count(200) == 116
    assert clock.now() - start >= 1  # waited as told, on the clock


def test_rate_budget_keeps_the_caller_under_the_limit(
    setup: tuple[HubSpotClient, int], emulator: Emulator, clock: FakeClock
) -> None:
    client, portal_id = setup
    convo = Conversations(client.for_portal(portal_id))
    start = clock.now()
    for _ in range(330):
        convo.get_inbox(emulator.portal(portal_id).inboxes[0].id)
    statuses = [c.status for c in emulator.calls("/conversations/")]
    assert statuses.count(429) == 0
    assert len(statuses) == 330
    assert 20 <= clock.now() - start <= 21.5  # 3 windows: 0 s, ~10 s, ~20 s


def test_missing_scopes_mapping_and_audit(
    emulator: Emulator, vault: SqlTokenVault, clock: FakeClock
) -> None:
    settings = app_settings(emulator)
    portal = emulator.create_portal()
    key = emulator.create_service_key(portal.portal_id, ["conversations.read"])
    vault.save_service_key(portal.portal_id, Secret(key), ["conversations.read"])
    with hub_client(settings, vault, clock, emulator.transport()) as client:
        convo = Conversations(client.for_portal(portal.portal_id))
        thread_id = emulator.inbound(portal.portal_id, text="hi", sender="a@b.example").thread_id
        assert convo.get_thread(thread_id).id == thread_id
        with pytest.raises(MissingScopesError) as info:
            convo.close_thread(thread_id)
    assert info.value.missing_scopes == ("conversations.write",)
    assert info.value.status == 403
    observed = observed_missing_scopes(vault, portal.portal_id)
    assert observed == ("conversations.write",)
    audit = audit_scopes(["conversations.read"], ["inbox_filter"], observed_missing=observed)
    assert audit.missing == ("conversations.write",)
    assert [c.auth for c in emulator.calls("/conversations/")] == ["service_key"] * 2


def test_rejected_service_key_marks_the_portal_until_a_new_key_is_connected(
    emulator: Emulator, vault: SqlTokenVault, clock: FakeClock
) -> None:
    from hubguard.portals import connect_service_key

    settings = app_settings(emulator)
    portal = emulator.create_portal().portal_id
    scopes = ["conversations.read", "conversations.write"]
    old_key = emulator.create_service_key(portal, scopes)
    with hub_client(settings, vault, clock, emulator.transport()) as client:
        connect_service_key(vault, client, portal, Secret(old_key), scopes)
        thread_id = emulator.inbound(portal, text="hi", sender="a@b.example").thread_id
        emulator.revoke_service_key(old_key)  # an admin deletes the key in HubSpot
        with pytest.raises(ServiceKeyRejectedError) as info:
            Conversations(client.for_portal(portal)).get_thread(thread_id)
        assert "hubguard connect --portal" in str(info.value)
        assert old_key not in str(info.value)
        installation = vault.get(portal)
        assert installation is not None
        assert installation.status is InstallationStatus.NEEDS_REAUTH
        calls_before = len(emulator.calls("/conversations/"))
        with pytest.raises(NeedsReauthError):  # every later caller stops before the network
            client.for_portal(portal)
        assert len(emulator.calls("/conversations/")) == calls_before
        denied = [e.detail for e in vault.audit_log(portal) if e.operation == "api.denied"]
        assert [d["status"] for d in denied] == ["401"]

        new_key = emulator.create_service_key(portal, scopes)
        connect_service_key(vault, client, portal, Secret(new_key), scopes)
        assert Conversations(client.for_portal(portal)).get_thread(thread_id).id == thread_id
    installation = vault.get(portal)
    assert installation is not None
    assert installation.status is InstallationStatus.ACTIVE


def test_a_401_on_a_key_already_replaced_leaves_the_portal_active(
    emulator: Emulator, vault: SqlTokenVault, clock: FakeClock
) -> None:
    from hubguard.errors import AuthenticationError
    from hubguard.portals import connect_service_key

    settings = app_settings(emulator)
    portal = emulator.create_portal().portal_id
    scopes = ["conversations.read", "conversations.write"]
    old_key = emulator.create_service_key(portal, scopes)
    with hub_client(settings, vault, clock, emulator.transport()) as client:
        connect_service_key(vault, client, portal, Secret(old_key), scopes)
        thread_id = emulator.inbound(portal, text="hi", sender="a@b.example").thread_id
        in_flight = client.for_portal(portal)  # a worker holds the old key for this event
        new_key = emulator.create_service_key(portal, scopes)
        connect_service_key(vault, client, portal, Secret(new_key), scopes)  # the admin rotates
        emulator.revoke_service_key(old_key)
        with pytest.raises(AuthenticationError) as refused:
            Conversations(in_flight).get_thread(thread_id)
        assert not isinstance(refused.value, ServiceKeyRejectedError)
        installation = vault.get(portal)
        assert installation is not None
        assert installation.status is InstallationStatus.ACTIVE  # not parked
        assert Conversations(client.for_portal(portal)).get_thread(thread_id).id == thread_id


def test_logs_of_a_bad_day_show_no_token(
    emulator: Emulator,
    vault: SqlTokenVault,
    clock: FakeClock,
    no_secret_in_logs: list[logging.LogRecord],
) -> None:
    """Retries, a failed refresh, a 401 and a dead grant all log; none of it shows a token."""
    settings = app_settings(emulator)
    portal_id = oauth_install(emulator, vault, settings, clock)
    with hub_client(settings, vault, clock, emulator.transport()) as client:
        convo = Conversations(client.for_portal(portal_id))
        emulator.add_fault("error", path_prefix="/conversations/", status=502, count=1)
        convo.list_inboxes()
        clock.advance(1790)
        emulator.add_fault("error", path_prefix="/oauth/", status=503, count=1)
        convo.list_inboxes()  # refresh fails, the still-valid token keeps working
        emulator.add_fault("error", path_prefix="/conversations/", status=401, count=1)
        clock.advance(60)
        convo.list_inboxes()
        emulator.revoke_grant(portal_id)
        clock.advance(1801)
        with pytest.raises(NeedsReauthError):
            convo.list_inboxes()
    messages = [r.getMessage() for r in no_secret_in_logs if r.name.startswith("hubguard")]
    assert any("answered 502" in m for m in messages)
    assert any("token refresh failed" in m for m in messages)
    assert any("grant is dead" in m for m in messages)
    assert any(r.name == "httpx" for r in no_secret_in_logs)  # third-party records captured too


@pytest.mark.parametrize("version", ["v1", "v3", "2026-03"])
def test_every_oauth_endpoint_family_against_the_emulator(
    version: str, emulator: Emulator, vault: SqlTokenVault, clock: FakeClock
) -> None:
    settings = app_settings(emulator).replace(oauth_api_version=version)
    portal_id = oauth_install(emulator, vault, settings, clock)
    with hub_client(settings, vault, clock, emulator.transport()) as client:
        convo = Conversations(client.for_portal(portal_id))
        clock.advance(1801)
        convo.list_inboxes()  # refreshed on this version's token endpoint
        creds = vault.credentials(portal_id)
        assert creds.refresh_token is not None
        client.oauth.revoke(creds.refresh_token)
        clock.advance(1801)
        with pytest.raises(NeedsReauthError):
            convo.list_inboxes()
    paths = {c.path for c in emulator.calls("/oauth/")}
    if version == "v1":
        assert "/oauth/v1/token" in paths
        assert any(p.startswith("/oauth/v1/access-tokens/") for p in paths)
        assert any(p.startswith("/oauth/v1/refresh-tokens/") for p in paths)
    else:
        assert paths == {
            f"/oauth/{version}/token",
            f"/oauth/{version}/token/introspect",
            f"/oauth/{version}/token/revoke",
        }


def test_rotating_refresh_tokens_are_persisted(vault: SqlTokenVault, clock: FakeClock) -> None:
    emulator = Emulator(clock, seed=2, rotate_refresh_tokens=True)
    settings = app_settings(emulator)
    portal_id = oauth_install(emulator, vault, settings, clock)
    first = vault.credentials(portal_id).refresh_token
    with hub_client(settings, vault, clock, emulator.transport()) as client:
        convo = Conversations(client.for_portal(portal_id))
        for _ in range(3):
            clock.advance(1801)
            convo.list_inboxes()
    last = vault.credentials(portal_id).refresh_token
    assert last is not None
    assert last != first
    inst = vault.get(portal_id)
    assert inst is not None
    assert inst.status is InstallationStatus.ACTIVE
    assert _token_calls(emulator) == 4  # the install's exchange + three refreshes
    emulator.close()


def test_comment_is_not_doubled_when_the_answer_is_lost(
    emulator: Emulator, vault: SqlTokenVault, clock: FakeClock
) -> None:
    settings = app_settings(emulator)
    portal_id = oauth_install(emulator, vault, settings, clock)
    inner = emulator.transport()
    lost = {"count": 1}

    def lose_first_post_answer(request: httpx.Request) -> httpx.Response:
        response = inner.handle_request(request)
        if request.method == "POST" and request.url.path.endswith("/messages") and lost["count"]:
            lost["count"] -= 1
            return httpx.Response(502, text="<html>Bad gateway</html>")  # stored, answer lost
        return response

    transport = httpx.MockTransport(lose_first_post_answer)
    thread_id = emulator.inbound(portal_id, text="buy now", sender="x@y.example").thread_id
    with hub_client(settings, vault, clock, transport) as client:
        convo = Conversations(client.for_portal(portal_id))
        note = convo.post_comment(thread_id, "hubguard: spam")
        comments = [m for m in convo.list_messages(thread_id) if m.type == "COMMENT"]
    assert [c.id for c in comments] == [note.id]


def test_comment_is_sent_again_when_it_never_arrived(
    emulator: Emulator, vault: SqlTokenVault, clock: FakeClock
) -> None:
    settings = app_settings(emulator)
    portal_id = oauth_install(emulator, vault, settings, clock)
    thread_id = emulator.inbound(portal_id, text="buy now", sender="x@y.example").thread_id
    emulator.add_fault("error", path_prefix="/conversations/", method="POST", status=503, count=1)
    with hub_client(settings, vault, clock, emulator.transport()) as client:
        convo = Conversations(client.for_portal(portal_id))
        convo.post_comment(thread_id, "hubguard: spam")
        comments = [m for m in convo.list_messages(thread_id) if m.type == "COMMENT"]
    assert len(comments) == 1
    posts = [c.status for c in emulator.calls("/conversations/") if c.method == "POST"]
    assert posts == [503, 201]


@pytest.mark.parametrize("shared", [True, False])
def test_two_workers_share_one_budget_through_redis(
    shared: bool, emulator: Emulator, vault: SqlTokenVault, clock: FakeClock
) -> None:
    """Two "processes" (clients with their own budget objects) pace one portal together.

    With Redis they stay under 110 / 10 s; the control with two in-process budgets does not.
    """
    import redis

    from hubguard.hubspot.ratelimit import InMemoryRateBudget
    from hubguard.hubspot.ratelimit_redis import RedisRateBudget

    settings = app_settings(emulator)
    portal_id = oauth_install(emulator, vault, settings, clock)
    redis_client = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    try:
        redis_client.ping()
    except redis.RedisError:
        pytest.skip("Redis is not reachable")
    prefix = f"hubguard-test:{portal_id}:{id(clock)}"
    budgets = [
        RedisRateBudget(redis_client, clock, prefix=prefix) if shared else InMemoryRateBudget(clock)
        for _ in range(2)
    ]
    clients = [
        hub_client(settings, vault, clock, emulator.transport(), rate_budget=b) for b in budgets
    ]
    inbox_id = emulator.portal(portal_id).inboxes[0].id
    try:
        convos = [Conversations(c.for_portal(portal_id)) for c in clients]
        for i in range(300):
            convos[i % 2].get_inbox(inbox_id)
    finally:
        for c in clients:
            c.close()
        for key in redis_client.scan_iter(prefix + ":*"):
            redis_client.delete(key)
        redis_client.close()
    refused = [c for c in emulator.calls("/conversations/") if c.status == 429]
    if shared:
        assert refused == []
    else:
        assert refused  # the control: separate budgets bounce off HubSpot's limit


def test_audit_check_and_scope_audit_of_an_installation(
    emulator: Emulator, vault: SqlTokenVault, clock: FakeClock
) -> None:
    from hubguard.hubspot.scopes import audit_installation

    settings = app_settings(emulator)
    good = oauth_install(emulator, vault, settings, clock)
    dead = oauth_install(emulator, vault, settings, clock)
    emulator.revoke_grant(dead)
    clock.advance(1801)
    with hub_client(settings, vault, clock, emulator.transport()) as client:
        assert client.check(good).ok
        result = client.check(dead)
    assert (result.ok, result.detail) == (False, "needs_reauth")
    assert result.reconsent_url is not None
    audit = audit_installation(vault, good, ["inbox_filter"])
    assert audit.missing == ()
    assert audit.unused == ()
    assert audit.needed == ("conversations.read", "conversations.write")


def test_a_service_key_hubspot_refuses_changes_nothing_and_a_good_one_retires_the_grant(
    setup: tuple[HubSpotClient, int], emulator: Emulator, vault: SqlTokenVault
) -> None:
    from hubguard.models import AuthType
    from hubguard.portals import connect_service_key

    client, portal_id = setup  # installed with OAuth, active
    scopes = ["conversations.read", "conversations.write"]
    grant = vault.credentials(portal_id)
    with pytest.raises(ServiceKeyRejectedError):
        connect_service_key(vault, client, portal_id, Secret("pat-na1-" + "0" * 36), scopes)
    kept = vault.get(portal_id)
    assert kept is not None
    assert (kept.auth_type, kept.status) == (AuthType.OAUTH, InstallationStatus.ACTIVE)
    assert vault.credentials(portal_id).refresh_token == grant.refresh_token
    assert Conversations(client.for_portal(portal_id)).list_inboxes()  # still works

    good = emulator.create_service_key(portal_id, scopes)
    connect_service_key(vault, client, portal_id, Secret(good), scopes)
    switched = vault.get(portal_id)
    assert switched is not None
    assert (switched.auth_type, switched.status) == (
        AuthType.SERVICE_KEY,
        InstallationStatus.ACTIVE,
    )
    assert [c.status for c in emulator.calls("/oauth/2026-03/token/revoke")] == [200]
    # A mistyped replacement of a working key leaves that key in place.
    with pytest.raises(ServiceKeyRejectedError):
        connect_service_key(vault, client, portal_id, Secret("pat-na1-" + "1" * 36), scopes)
    assert vault.credentials(portal_id).service_key == Secret(good)
    assert Conversations(client.for_portal(portal_id)).list_inboxes()
