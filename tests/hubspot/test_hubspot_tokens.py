"""TokenManager on the real SqlTokenVault (SQLite) with a scripted token endpoint."""

from __future__ import annotations

import random
import threading
from typing import Any

import httpx
import pytest
from hubspot_helpers import BAD_REFRESH, SETTINGS, TokenEndpoint, install

from hubguard.clock import FakeClock
from hubguard.config import Secret
from hubguard.errors import HubSpotUnavailableError, NeedsReauthError
from hubguard.hubspot.oauth import OAuthClient
from hubguard.hubspot.tokens import REFRESH_OPERATION, TokenManager
from hubguard.models import InstallationStatus, TokenSet
from hubguard.vault.store import SqlTokenVault

PORTAL = 62515


def _manager(vault: SqlTokenVault, clock: FakeClock, endpoint: TokenEndpoint) -> TokenManager:
    http = httpx.Client(transport=httpx.MockTransport(endpoint.handler))
    oauth = OAuthClient(SETTINGS, http, clock)
    return TokenManager(
        vault, oauth, clock, 300, reconsent_url="https://hg/oauth/install", rng=random.Random(1)
    )


def _refresh_audits(vault: SqlTokenVault) -> list[dict[str, str]]:
    return [e.detail for e in vault.audit_log(PORTAL) if e.operation == REFRESH_OPERATION]


def test_fresh_token_needs_no_refresh(vault: SqlTokenVault, clock: FakeClock) -> None:
    install(vault, clock)
    endpoint = TokenEndpoint(clock)
    tokens = _manager(vault, clock, endpoint)
    assert tokens.access_token(PORTAL) == Secret("access-0")
    assert endpoint.calls == []


def test_refresh_ahead_of_expiry_and_persist(vault: SqlTokenVault, clock: FakeClock) -> None:
    install(vault, clock)
    endpoint = TokenEndpoint(clock)
    tokens = _manager(vault, clock, endpoint)
    clock.advance(1800 - 299)  # inside the 300 s leeway
    assert tokens.access_token(PORTAL) == Secret("access-1")
    assert endpoint.calls[0]["refresh_token"] == "refresh-0"
    creds = vault.credentials(PORTAL)
    assert creds.access_token == Secret("access-1")
    assert creds.expires_at == clock.now() + 1800
    assert tokens.access_token(PORTAL) == Secret("access-1")
    assert len(endpoint.calls) == 1
    assert _refresh_audits(vault)[-1]["result"] == "ok"


def test_rotated_refresh_token_is_persisted(vault: SqlTokenVault, clock: FakeClock) -> None:
    install(vault, clock, expires_in=10)
    endpoint = TokenEndpoint(clock)
    endpoint.outcomes.append(
        httpx.Response(
            200, json={"access_token": "a-new", "refresh_token": "r-rotated", "expires_in": 1800}
        )
    )
    _manager(vault, clock, endpoint).access_token(PORTAL)
    assert vault.credentials(PORTAL).refresh_token == Secret("r-rotated")


def test_single_flight_in_process(vault: SqlTokenVault, clock: FakeClock) -> None:
    install(vault, clock, expires_in=0)
    endpoint = TokenEndpoint(clock)
    tokens = _manager(vault, clock, endpoint)
    got: list[Secret] = []
    barrier = threading.Barrier(20)

    def worker() -> None:
        barrier.wait()
        got.append(tokens.access_token(PORTAL))

    threads = [threading.Thread(target=worker) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(endpoint.calls) == 1
    assert set(got) == {Secret("access-1")}


def test_another_process_refreshed_meanwhile(vault: SqlTokenVault, clock: FakeClock) -> None:
    install(vault, clock, expires_in=0)
    endpoint = TokenEndpoint(clock)
    ours = _manager(vault, clock, endpoint)
    theirs = _manager(vault, clock, endpoint)
    assert theirs.access_token(PORTAL) == Secret("access-1")
    assert ours.access_token(PORTAL) == Secret("access-1")  # re-read inside the lock
    assert len(endpoint.calls) == 1


def test_dead_grant_marks_needs_reauth_once_and_never_hammers(
    vault: SqlTokenVault, clock: FakeClock
) -> None:
    install(vault, clock, expires_in=0)
    endpoint = TokenEndpoint(clock, outcomes=[httpx.Response(400, json=BAD_REFRESH)])
    tokens = _manager(vault, clock, endpoint)
    with pytest.raises(NeedsReauthError) as info:
        tokens.access_token(PORTAL)
    assert info.value.reconsent_url == "https://hg/oauth/install"
    inst = vault.get(PORTAL)
    assert inst is not None
    assert inst.status is InstallationStatus.NEEDS_REAUTH
    assert inst.last_error == "invalid_grant"
    for _ in range(5):
        with pytest.raises(NeedsReauthError):
            tokens.access_token(PORTAL)
        with pytest.raises(NeedsReauthError):
            tokens.access_token(PORTAL, force=True)
    assert len(endpoint.calls) == 1
    assert _refresh_audits(vault)[-1]["result"] == "invalid_grant"


def test_invalid_grant_after_reinstall_is_not_fatal(vault: SqlTokenVault, clock: FakeClock) -> None:
    install(vault, clock, expires_in=0)
    endpoint = TokenEndpoint(clock)
    tokens = _manager(vault, clock, endpoint)

    def reinstall_then_fail(request: httpx.Request) -> httpx.Response:
        # The admin re-consented while our refresh with the old token was in flight.
        install(vault, clock, access="access-reinstalled", refresh="refresh-new")
        return httpx.Response(400, json=BAD_REFRESH)

    tokens._oauth._http = httpx.Client(transport=httpx.MockTransport(reinstall_then_fail))
    assert tokens.access_token(PORTAL) == Secret("access-reinstalled")
    inst = vault.get(PORTAL)
    assert inst is not None
    assert inst.status is InstallationStatus.ACTIVE


def test_a_reinstall_landing_after_invalid_grant_is_not_marked_dead(
    vault: SqlTokenVault, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    install(vault, clock, access="access-old", refresh="refresh-old", expires_in=60)
    endpoint = TokenEndpoint(clock, outcomes=[httpx.Response(400, json=BAD_REFRESH)])
    tokens = _manager(vault, clock, endpoint)
    read = vault.credentials
    reads = []

    def reinstalled_after_the_third_read(portal_id: int) -> Any:
        found = read(portal_id)
        reads.append(portal_id)
        if len(reads) == 3:  # the re-read after invalid_grant has just returned, then ...
            install(vault, clock, access="access-NEW", refresh="refresh-NEW")  # ... a re-install
        return found

    monkeypatch.setattr(vault, "credentials", reinstalled_after_the_third_read)
    assert tokens.access_token(PORTAL) == Secret("access-NEW")
    inst = vault.get(PORTAL)
    assert inst is not None
    assert inst.status is InstallationStatus.ACTIVE


def test_transient_failure_keeps_valid_token_and_backs_off(
    vault: SqlTokenVault, clock: FakeClock
) -> None:
    install(vault, clock, expires_in=200)  # inside leeway, still valid
    endpoint = TokenEndpoint(clock, outcomes=[httpx.Response(503), httpx.Response(503)])
    tokens = _manager(vault, clock, endpoint)
    assert tokens.access_token(PORTAL) == Secret("access-0")
    assert len(endpoint.calls) == 1
    inst = vault.get(PORTAL)
    assert inst is not None
    assert (inst.status, inst.refresh_failures) == (InstallationStatus.ACTIVE, 1)
    # Backing off: no second call right away, the valid token keeps working.
    assert tokens.access_token(PORTAL) == Secret("access-0")
    assert len(endpoint.calls) == 1
    clock.advance(6)
    assert tokens.access_token(PORTAL) == Secret("access-0")  # 2nd failure, still valid
    assert len(endpoint.calls) == 2
    clock.advance(11)
    assert tokens.access_token(PORTAL) == Secret("access-1")
    inst = vault.get(PORTAL)
    assert inst is not None
    assert inst.refresh_failures == 0
    assert vault.credentials(PORTAL).refresh_token == Secret("refresh-0")


def test_a_401_from_the_token_endpoint_is_a_failure_backed_off_from(
    vault: SqlTokenVault, clock: FakeClock
) -> None:
    # HubSpot's own error shape, no RFC 6749 "error" (a rotated client secret, say).
    refused = {"status": "error", "message": "not found", "category": "INVALID_AUTHENTICATION"}
    install(vault, clock, expires_in=60)
    endpoint = TokenEndpoint(clock, outcomes=[httpx.Response(401, json=refused)] * 10)
    tokens = _manager(vault, clock, endpoint)
    for _ in range(5):
        assert tokens.access_token(PORTAL) == Secret("access-0")  # valid for another minute
    assert len(endpoint.calls) == 1  # once, then backing off
    inst = vault.get(PORTAL)
    assert inst is not None
    assert (inst.status, inst.refresh_failures) == (InstallationStatus.ACTIVE, 1)
    assert [a["result"] for a in _refresh_audits(vault)] == ["failed"]


def test_a_token_hubspot_just_refused_is_never_handed_back_when_refresh_fails(
    vault: SqlTokenVault, clock: FakeClock
) -> None:
    install(vault, clock, expires_in=1800)
    endpoint = TokenEndpoint(clock, outcomes=[httpx.Response(503)])
    tokens = _manager(vault, clock, endpoint)
    with pytest.raises(HubSpotUnavailableError):
        tokens.access_token(PORTAL, force=True, rejected=Secret("access-0"))
    assert len(endpoint.calls) == 1


def test_transient_failure_with_expired_token_raises_without_marking_dead(
    vault: SqlTokenVault, clock: FakeClock
) -> None:
    install(vault, clock, expires_in=0)
    endpoint = TokenEndpoint(clock, outcomes=[httpx.ConnectError("down")] * 10)
    tokens = _manager(vault, clock, endpoint)
    with pytest.raises(HubSpotUnavailableError):
        tokens.access_token(PORTAL)
    with pytest.raises(HubSpotUnavailableError, match="backing off"):
        tokens.access_token(PORTAL)
    assert len(endpoint.calls) == 1
    inst = vault.get(PORTAL)
    assert inst is not None
    assert inst.status is InstallationStatus.ACTIVE
    assert vault.credentials(PORTAL).refresh_token == Secret("refresh-0")


def test_every_process_backs_off_together_during_an_outage(
    vault: SqlTokenVault, clock: FakeClock
) -> None:
    install(vault, clock, expires_in=0)  # expired: everyone needs a refresh
    endpoint = TokenEndpoint(clock, outcomes=[httpx.ConnectError("down")] * 3)
    workers = [_manager(vault, clock, endpoint) for _ in range(4)]  # four worker processes
    for worker in workers:
        with pytest.raises(HubSpotUnavailableError):
            worker.access_token(PORTAL)
    assert len(endpoint.calls) == 1  # the others read the shared failure and wait
    clock.advance(2.6)  # past the shared window (half of the 5 s first delay)...
    with pytest.raises(HubSpotUnavailableError):
        workers[1].access_token(PORTAL)  # ...one process tries again
    assert len(endpoint.calls) == 2
    for worker in workers[2:]:
        with pytest.raises(HubSpotUnavailableError, match="backing off"):
            worker.access_token(PORTAL)
    assert len(endpoint.calls) == 2  # the second failure doubled the shared window
    clock.advance(6)
    with pytest.raises(HubSpotUnavailableError):
        workers[3].access_token(PORTAL)  # HubSpot is still down (third scripted failure)
    clock.advance(11)
    assert workers[2].access_token(PORTAL) == Secret("access-1")  # back up: one refresh
    assert len(endpoint.calls) == 4
    inst = vault.get(PORTAL)
    assert inst is not None
    assert inst.refresh_failures == 0


def test_force_refreshes_once_for_a_burst_of_401s(vault: SqlTokenVault, clock: FakeClock) -> None:
    install(vault, clock)
    endpoint = TokenEndpoint(clock)
    tokens = _manager(vault, clock, endpoint)
    rejected = tokens.access_token(PORTAL)
    first = tokens.access_token(PORTAL, force=True, rejected=rejected)
    second = tokens.access_token(PORTAL, force=True, rejected=rejected)
    assert first == second == Secret("access-1")
    assert len(endpoint.calls) == 1
    assert tokens.access_token(PORTAL, force=True) == Secret("access-2")


def test_service_key_portal_returns_key(vault: SqlTokenVault, clock: FakeClock) -> None:
    vault.save_service_key(7, Secret("pat-na1-00000000-0000-0000-0000-000000000000"), ["x"])
    endpoint = TokenEndpoint(clock)
    tokens = _manager(vault, clock, endpoint)
    assert tokens.access_token(7).reveal().startswith("pat-na1-")
    assert endpoint.calls == []


def test_unknown_and_uninstalled_portals(vault: SqlTokenVault, clock: FakeClock) -> None:
    tokens = _manager(vault, clock, TokenEndpoint(clock))
    with pytest.raises(NeedsReauthError):
        tokens.access_token(999)
    install(vault, clock)
    vault.erase(PORTAL)
    with pytest.raises(NeedsReauthError):
        tokens.access_token(PORTAL)


def test_background_refresh_of_idle_portals(vault: SqlTokenVault, clock: FakeClock) -> None:
    install(vault, clock, portal_id=1, expires_in=1800)
    install(vault, clock, portal_id=2, expires_in=600, refresh="r-2")
    install(vault, clock, portal_id=3, expires_in=100, refresh="dead")
    vault.save_service_key(4, Secret("pat-na1-00000000-0000-0000-0000-000000000001"), [])
    endpoint = TokenEndpoint(clock)
    tokens = _manager(vault, clock, endpoint)

    def handler(request: httpx.Request) -> httpx.Response:
        if b"refresh_token=dead" in request.content:
            return httpx.Response(400, json=BAD_REFRESH)
        if b"refresh_token=flaky" in request.content:
            return httpx.Response(503)
        return endpoint.handler(request)

    tokens._oauth._http = httpx.Client(transport=httpx.MockTransport(handler))
    install(vault, clock, portal_id=5, expires_in=500, refresh="flaky")
    assert tokens.refresh_due(within=400) == [2, 3, 5]
    outcomes = tokens.refresh_idle(within=400)
    assert outcomes == {2: "ok", 3: "needs_reauth", 5: "failed:transient"}
    assert tokens.refresh_idle(within=400) == {5: "backing_off"}
    assert vault.credentials(2).access_token == Secret("access-1")
    inst = vault.get(5)
    assert inst is not None
    assert (inst.status, inst.refresh_failures) == (InstallationStatus.ACTIVE, 1)


def test_rotated_refresh_token_written_meanwhile_gets_its_own_try(
    vault: SqlTokenVault, clock: FakeClock
) -> None:
    install(vault, clock, expires_in=0)
    endpoint = TokenEndpoint(clock)
    tokens = _manager(vault, clock, endpoint)

    def handler(request: httpx.Request) -> httpx.Response:
        if b"refresh_token=refresh-0" in request.content:
            # A process that bypassed our lock rotated the grant: our old token is now dead.
            version = vault.credentials(PORTAL).version
            rotated = TokenSet(Secret("access-x"), Secret("refresh-rot"), clock.now() - 1)
            assert vault.swap_tokens(PORTAL, version, rotated)
            return httpx.Response(400, json=BAD_REFRESH)
        return endpoint.handler(request)

    tokens._oauth._http = httpx.Client(transport=httpx.MockTransport(handler))
    assert tokens.access_token(PORTAL) == Secret("access-1")
    assert endpoint.calls[-1]["refresh_token"] == "refresh-rot"
    inst = vault.get(PORTAL)
    assert inst is not None
    assert inst.status is InstallationStatus.ACTIVE


def test_swap_conflict_lets_the_stored_token_win(vault: SqlTokenVault, clock: FakeClock) -> None:
    install(vault, clock, expires_in=0)
    endpoint = TokenEndpoint(clock)
    tokens = _manager(vault, clock, endpoint)

    def handler(request: httpx.Request) -> httpx.Response:
        response = endpoint.handler(request)
        install(vault, clock, access="access-reinstalled", refresh="refresh-new")  # re-consent
        return response

    tokens._oauth._http = httpx.Client(transport=httpx.MockTransport(handler))
    assert tokens.access_token(PORTAL) == Secret("access-reinstalled")
    assert vault.credentials(PORTAL).refresh_token == Secret("refresh-new")
    results = [d["result"] for d in _refresh_audits(vault)]
    assert results == ["conflict"]


@pytest.mark.postgres
def test_many_portals_refreshing_at_once_do_not_starve_the_pool(
    postgres_url: str, clock: FakeClock
) -> None:
    """Each refresh holds an advisory lock while it re-reads and writes through the pool: with
    the locks' sessions taken from the pool too, 15 portals at once (pool: 5 + 10) waited on
    each other until the pool timed out."""
    import time

    from hubguard.db import create_engine, migrate
    from hubguard.vault.crypto import MasterKeyring, new_master_key_line

    engine = create_engine(postgres_url, pool_timeout=5)
    migrate(engine)
    vault = SqlTokenVault(engine, MasterKeyring.parse(new_master_key_line()), clock=clock)
    portals = [1000 + i for i in range(20)]
    for portal in portals:
        install(vault, clock, portal_id=portal, expires_in=60)  # all due for a refresh
    endpoint = TokenEndpoint(clock)

    def slow_endpoint(request: httpx.Request) -> httpx.Response:
        time.sleep(0.3)  # a token call takes a moment: every lock is held at the same time
        return endpoint.handler(request)

    oauth = OAuthClient(SETTINGS, httpx.Client(transport=httpx.MockTransport(slow_endpoint)), clock)
    tokens = TokenManager(vault, oauth, clock)
    start = threading.Barrier(len(portals))
    failures: list[BaseException] = []

    def refresh(portal: int) -> None:
        start.wait()
        try:
            tokens.access_token(portal)
        except BaseException as exc:  # collected and asserted below
            failures.append(exc)

    threads = [threading.Thread(target=refresh, args=(p,)) for p in portals]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        assert len(endpoint.calls) == len(portals)
    finally:
        engine.dispose()
