"""Issue acceptance: with an expired token, 4 processes x 25 threads calling HubSpot at once
cause exactly one call to the token endpoint (read from the emulator's call log).

Served emulator over real HTTP, real clock, SQLite file and PostgreSQL, ``spawn``ed processes.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator

import httpx
import pytest
from hubspot_emulated import app_settings, oauth_install
from hubspot_workers import call_storm_worker

from hubguard.clock import SystemClock
from hubguard.db import create_engine, migrate
from hubguard.emulator import Emulator, running
from hubguard.models import TokenSet
from hubguard.vault.crypto import MasterKeyring, new_master_key_line
from hubguard.vault.store import SqlTokenVault

PROCESSES = 4
THREADS = 25


@pytest.fixture
def served() -> Iterator[tuple[Emulator, str]]:
    emulator = Emulator(seed=3)  # OffsetClock: real time
    with running(emulator) as base_url:
        yield emulator, base_url
    emulator.close()


@pytest.mark.slow
def test_expired_token_one_refresh_for_100_concurrent_callers(
    served: tuple[Emulator, str], database_url: str
) -> None:
    emulator, base_url = served
    key = new_master_key_line()
    engine = create_engine(database_url)
    migrate(engine)
    clock = SystemClock()
    vault = SqlTokenVault(engine, MasterKeyring.parse(key), clock=clock)
    settings = app_settings(emulator, api_url=base_url)
    with httpx.Client() as http:
        portal_id = oauth_install(emulator, vault, settings, clock, http=http)
    creds = vault.credentials(portal_id)
    assert creds.access_token is not None
    # Expire the stored token (HubSpot would still take it: only our bookkeeping says "expired").
    expired = TokenSet(creds.access_token, None, clock.now() - 1)
    assert vault.swap_tokens(portal_id, creds.version, expired)
    token_calls_before = len(emulator.calls("/oauth/2026-03/token"))

    assert settings.client_secret is not None
    values = {
        "client_id": settings.client_id,
        "client_secret": settings.client_secret.reveal(),
        "public_url": settings.public_url,
        "hubspot_api_url": base_url,
    }
    ctx = multiprocessing.get_context("spawn")
    start, ok, failed = ctx.Event(), ctx.Value("i", 0), ctx.Value("i", 0)
    procs = [
        ctx.Process(
            target=call_storm_worker,
            args=(database_url, key, values, portal_id, THREADS, start, ok, failed),
        )
        for _ in range(PROCESSES)
    ]
    for proc in procs:
        proc.start()
    start.set()
    for proc in procs:
        proc.join(timeout=120)
    assert [p.exitcode for p in procs] == [0] * PROCESSES
    assert (ok.value, failed.value) == (PROCESSES * THREADS, 0)
    token_calls = emulator.calls("/oauth/2026-03/token")
    assert len(token_calls) - token_calls_before == 1
    api_calls = emulator.calls("/conversations/v3/conversations/inboxes")
    assert len(api_calls) == PROCESSES * THREADS
    assert {c.status for c in api_calls} == {200}
    after = vault.credentials(portal_id)
    assert after.version == creds.version + 2  # our expiry write + exactly one refresh
    assert after.expires_at is not None
    assert after.expires_at > clock.now() + 1700
    engine.dispose()


def test_a_401_over_real_http_gets_one_refresh_and_one_retry(
    served: tuple[Emulator, str], sqlite_url: str
) -> None:
    """The in-process transport hid it: over a socket, the retry after a refresh crashed with
    httpx.StreamClosed (the 401 had been closed before httpx read it)."""
    from hubguard.hubspot.client import HubSpotClient
    from hubguard.hubspot.conversations import Conversations

    emulator, base_url = served
    engine = create_engine(sqlite_url)
    migrate(engine)
    clock = SystemClock()
    vault = SqlTokenVault(engine, MasterKeyring.parse(new_master_key_line()), clock=clock)
    settings = app_settings(emulator, api_url=base_url)
    with httpx.Client() as http:
        portal_id = oauth_install(emulator, vault, settings, clock, http=http)
    emulator.add_fault("error", path_prefix="/conversations/", status=401, count=1)
    refreshes_before = len(emulator.calls("/oauth/2026-03/token"))
    with HubSpotClient(settings, vault) as client:  # real HTTP, as in production
        inboxes = Conversations(client.for_portal(portal_id)).list_inboxes()
    assert inboxes
    assert len(emulator.calls("/oauth/2026-03/token")) == refreshes_before + 1
    engine.dispose()
