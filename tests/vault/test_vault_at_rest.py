"""No plaintext at rest: scan the SQLite file (and WAL) and every PostgreSQL row for secrets."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from vault_helpers import KEY_A, installation, tokens

from at_rest import assert_nowhere_at_rest
from hubguard.config import Secret
from hubguard.db import create_engine, migrate
from hubguard.vault import lifecycle
from hubguard.vault.crypto import MasterKeyring
from hubguard.vault.store import SqlTokenVault
from hubguard.vault.tables import data_keys, installations

SERVICE_KEY = "pat-na1-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"


def _write_everything(vault: SqlTokenVault) -> list[str]:
    """Install, refresh, re-key and audit; return every secret string that was handed over."""
    written: list[str] = []
    for pid in (101, 102, 103):
        first = tokens(f"p{pid}", 100.0)
        vault.save_oauth_installation(installation(pid, 0.0), first)
        second = tokens(f"p{pid}r", 200.0)
        assert vault.swap_tokens(pid, 1, second)
        written += [t.reveal() for t in (first.access_token, second.access_token)]
        written += [t.reveal() for t in (first.refresh_token, second.refresh_token) if t]
    vault.save_service_key(104, Secret(SERVICE_KEY), ["crm.objects.contacts.read"])
    written.append(SERVICE_KEY)
    vault.audit("api.call", portal_id=101, detail={"note": f"used {written[0]}"})
    return written


def _assert_nowhere(vault: SqlTokenVault, url: str, needles: list[bytes]) -> None:
    assert_nowhere_at_rest(vault.engine, url, needles)


def test_no_plaintext_secret_at_rest(vault: SqlTokenVault, database_url: str) -> None:
    written = _write_everything(vault)
    assert vault.credentials(101).access_token == Secret(written[1])  # really stored
    needles = [s.encode() for s in written]
    # Make sure the scan can fail: the plaintext is findable the moment it is stored in clear.
    _assert_nowhere(vault, database_url, needles)
    with vault.engine.begin() as conn:
        conn.execute(
            installations.update()
            .where(installations.c.portal_id == 104)
            .values(hub_domain=SERVICE_KEY)
        )
    with pytest.raises(AssertionError):
        _assert_nowhere(vault, database_url, [SERVICE_KEY.encode()])


def test_erased_portal_leaves_no_key_or_ciphertext_in_the_sqlite_file(sqlite_url: str) -> None:
    engine = create_engine(sqlite_url)
    migrate(engine)
    vault = SqlTokenVault(engine, MasterKeyring.parse(KEY_A))
    try:
        _erase_and_scan(vault, sqlite_url)
    finally:
        engine.dispose()


def test_an_erasure_held_up_by_a_reader_is_finished_later(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lifecycle, "SCRUB_WAIT_MS", 100)
    engine = create_engine(sqlite_url)
    migrate(engine)
    vault = SqlTokenVault(engine, MasterKeyring.parse(KEY_A))
    reader = create_engine(sqlite_url).connect()
    try:
        needles = _install_two(vault)
        # Another connection mid-read (a worker): its transaction holds a WAL snapshot.
        reader.exec_driver_sql("SELECT count(*) FROM vault_installations").all()
        vault.erase(201)  # secrets gone from the tables, but the WAL cannot be emptied yet
        assert not vault.finish_erasure()
        reader.commit()
        assert vault.finish_erasure()  # what the maintenance tick runs
        _assert_nowhere(vault, sqlite_url, needles)
    finally:
        reader.close()
        engine.dispose()


@pytest.mark.postgres
def test_erased_portal_leaves_no_key_or_ciphertext_in_postgres_heap_pages(
    postgres_url: str,
) -> None:
    engine = create_engine(postgres_url)
    migrate(engine)
    vault = SqlTokenVault(engine, MasterKeyring.parse(KEY_A))
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pageinspect")
        needles = _install_two(vault)
        assert any(n in _heap(engine) for n in needles)  # the scan can find them
        vault.erase(201)  # VACUUMs: the dead row versions leave the heap now
        heap = _heap(engine)
        assert not any(n in heap for n in needles)
        assert vault.credentials(202).access_token is not None
    finally:
        engine.dispose()


def _heap(engine: sa.Engine) -> bytes:
    """Every raw page of the vault's tables (dead row versions included)."""
    pages = []
    with engine.connect() as conn:
        for table in (data_keys.name, installations.name):
            count = conn.exec_driver_sql(f"SELECT pg_relation_size('{table}') / 8192").scalar_one()
            for page in range(int(count)):
                raw = conn.exec_driver_sql(f"SELECT get_raw_page('{table}', {page})").scalar_one()
                pages.append(bytes(raw))
    return b"".join(pages)


def _install_two(vault: SqlTokenVault) -> list[bytes]:
    """Install portals 201 and 202; return 201's wrapped key and ciphertexts."""
    for pid in (201, 202):
        vault.save_oauth_installation(installation(pid, 0.0), tokens(f"e{pid}", 100.0))
    with vault.engine.connect() as conn:
        wrapped = conn.execute(
            sa.select(data_keys.c.wrapped_key).where(data_keys.c.portal_id == 201)
        ).scalar_one()
        row = conn.execute(sa.select(installations).where(installations.c.portal_id == 201)).one()
    return [bytes(wrapped), bytes(row.access_token_ct), bytes(row.refresh_token_ct)]


def _erase_and_scan(vault: SqlTokenVault, database_url: str) -> None:
    needles = _install_two(vault)
    with pytest.raises(AssertionError):
        _assert_nowhere(vault, database_url, needles)  # present before the erase
    vault.erase(201)
    _assert_nowhere(vault, database_url, needles)
    assert vault.credentials(202).access_token is not None
