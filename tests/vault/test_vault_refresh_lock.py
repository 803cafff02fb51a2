"""refresh_lock: one holder per portal across 4 real processes (x threads), on both backends."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from vault_helpers import KEY_A, installation, refresh_lock_worker

from hubguard.config import Secret
from hubguard.db import create_engine, migrate
from hubguard.models import TokenSet
from hubguard.vault.crypto import MasterKeyring
from hubguard.vault.locks import advisory_key
from hubguard.vault.store import SqlTokenVault

PROCESSES = 4
THREADS = 3
ROUNDS = 4


def test_critical_section_is_never_entered_twice_across_processes(
    vault: SqlTokenVault, database_url: str
) -> None:
    vault.save_oauth_installation(
        installation(1, 0.0), TokenSet(Secret("tok-0-x"), Secret("refresh-x"), 0.0)
    )
    # spawn, not fork: each worker starts clean and opens its own engine, like a real worker.
    ctx = multiprocessing.get_context("spawn")
    inside, overlaps, lost = ctx.Value("i", 0), ctx.Value("i", 0), ctx.Value("i", 0)
    start = ctx.Event()
    procs = [
        ctx.Process(
            target=refresh_lock_worker,
            args=(database_url, KEY_A, 1, THREADS, ROUNDS, inside, overlaps, lost, start),
        )
        for _ in range(PROCESSES)
    ]
    for proc in procs:
        proc.start()
    start.set()
    for proc in procs:
        proc.join(timeout=120)
    assert [p.exitcode for p in procs] == [0] * PROCESSES
    assert overlaps.value == 0
    assert lost.value == 0
    creds = vault.credentials(1)
    total = PROCESSES * THREADS * ROUNDS
    assert creds.access_token == Secret(f"tok-{total}-x")  # no stale read, no lost update
    assert creds.version == 1 + total
    assert vault.verify_audit_chain()


def test_the_detector_sees_a_race_when_there_is_no_lock(sqlite_url: str) -> None:
    # The control: the same work without the lock must be caught, or the test above proves nothing.
    engine = create_engine(sqlite_url)
    migrate(engine)
    try:
        SqlTokenVault(engine, MasterKeyring.parse(KEY_A)).save_oauth_installation(
            installation(1, 0.0), TokenSet(Secret("tok-0-x"), None, 0.0)
        )
    finally:
        engine.dispose()
    inside, overlaps, lost = (multiprocessing.Value("i", 0) for _ in range(3))
    start = threading.Event()
    start.set()
    refresh_lock_worker(sqlite_url, KEY_A, 1, 4, 3, inside, overlaps, lost, start, use_lock=False)
    assert overlaps.value > 0
    assert lost.value > 0


def test_other_portals_are_not_blocked(vault: SqlTokenVault) -> None:
    vault.save_oauth_installation(installation(1, 0.0), TokenSet(Secret("tok-0-x"), None, 0.0))
    vault.save_oauth_installation(installation(2, 0.0), TokenSet(Secret("tok-0-y"), None, 0.0))
    with vault.refresh_lock(1):
        # Writes for this and other portals proceed while the lock is held (no self-deadlock).
        assert vault.swap_tokens(1, 1, TokenSet(Secret("tok-1-x"), None, 0.0))
        done = threading.Event()

        def other() -> None:
            with vault.refresh_lock(2):
                vault.swap_tokens(2, 1, TokenSet(Secret("tok-1-y"), None, 0.0))
            done.set()

        thread = threading.Thread(target=other)
        thread.start()
        assert done.wait(timeout=30)
        thread.join()
    assert vault.credentials(2).access_token == Secret("tok-1-y")


def test_lock_is_released_when_the_body_raises(vault: SqlTokenVault) -> None:
    with pytest.raises(RuntimeError), vault.refresh_lock(3):
        raise RuntimeError("refresh failed")
    acquired = threading.Event()

    def again() -> None:
        with vault.refresh_lock(3):
            acquired.set()

    thread = threading.Thread(target=again)
    thread.start()
    assert acquired.wait(timeout=30)
    thread.join()
    if vault.engine.dialect.name == "postgresql":
        with vault.engine.connect() as conn:
            held = conn.execute(
                sa.text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")
            ).scalar_one()
        assert held == 0


def test_sqlite_lock_files_sit_beside_the_database(vault: SqlTokenVault) -> None:
    if vault.engine.dialect.name != "sqlite":
        assert isinstance(advisory_key(7), int)
        assert -(2**63) <= advisory_key(7) < 2**63
        assert advisory_key(7) != advisory_key(8)
        return
    with vault.refresh_lock(7):
        pass
    db = Path(vault.engine.url.database or "")
    lock = db.with_name(db.name + ".locks") / "portal-7.lock"
    assert lock.exists()
    assert oct(lock.stat().st_mode & 0o777) == oct(0o600)
