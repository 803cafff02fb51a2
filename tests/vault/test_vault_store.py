"""The TokenVault contract, run on SQLite and on the real PostgreSQL server."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from vault_helpers import KEY_A, KEY_B, installation, tokens

from hubguard.clock import FakeClock
from hubguard.config import Secret
from hubguard.errors import (
    CredentialsErasedError,
    DecryptionError,
    UnknownKeyError,
    UnknownPortalError,
)
from hubguard.logs import redact
from hubguard.models import AuthType, InstallationStatus, TokenSet
from hubguard.vault.protocol import TokenVault
from hubguard.vault.store import SqlTokenVault
from hubguard.vault.tables import data_keys, installations

MakeVault = Callable[..., SqlTokenVault]


def test_is_a_token_vault(vault: SqlTokenVault) -> None:
    checked: TokenVault = vault  # mypy checks the protocol; this keeps the import honest
    assert checked is vault


def test_save_read_and_list(vault: SqlTokenVault, clock: FakeClock) -> None:
    now = clock.now()
    saved = vault.save_oauth_installation(installation(2, now), tokens("p2", now + 1800))
    vault.save_oauth_installation(installation(1, now), tokens("p1", now + 1800))
    assert saved.portal_id == 2
    assert saved.key_id == "ka"
    assert saved.access_expires_at == now + 1800
    assert saved.scopes_granted == ("oauth", "conversations.read")
    assert vault.get(2) == saved
    assert vault.get(99) is None
    assert [i.portal_id for i in vault.list()] == [1, 2]

    creds = vault.credentials(2)
    assert creds.auth_type is AuthType.OAUTH
    assert creds.version == 1
    assert creds.access_token == Secret("ACCESS-p2-6f1c9a2e7d")
    assert creds.refresh_token == Secret("REFRESH-p2-b84d03c5e1")
    assert creds.expires_at == now + 1800
    assert creds.service_key is None
    # Every decrypted secret is registered for log redaction.
    assert "ACCESS-p2-6f1c9a2e7d" not in redact("sent ACCESS-p2-6f1c9a2e7d")
    with pytest.raises(UnknownPortalError):
        vault.credentials(99)


def test_reinstall_replaces_grant_with_a_fresh_data_key(vault: SqlTokenVault) -> None:
    vault.save_oauth_installation(installation(3, 1.0), tokens("old", 10.0))
    with vault.engine.connect() as conn:
        first_key = conn.execute(sa.select(data_keys.c.wrapped_key)).scalar_one()
    vault.record_refresh_failure(3, "timeout")
    again = vault.save_oauth_installation(
        installation(3, 2.0, user="new@example.com"), tokens("new", 20.0)
    )
    with vault.engine.connect() as conn:
        second_key = conn.execute(sa.select(data_keys.c.wrapped_key)).scalar_one()
    assert first_key != second_key
    assert again.user == "new@example.com"
    assert again.refresh_failures == 0
    creds = vault.credentials(3)
    assert creds.version == 2  # a re-install is a credential write: old CAS holders lose
    assert creds.access_token == Secret("ACCESS-new-6f1c9a2e7d")


def test_service_key_round_trip(vault: SqlTokenVault, clock: FakeClock) -> None:
    inst = vault.save_service_key(
        4, Secret("pat-na1-11111111-2222-3333-4444-555555555555"), ["crm.objects.contacts.read"]
    )
    assert inst.auth_type is AuthType.SERVICE_KEY
    assert inst.status is InstallationStatus.ACTIVE
    assert inst.installed_at == clock.now()
    assert inst.user is None
    creds = vault.credentials(4)
    assert creds.service_key == Secret("pat-na1-11111111-2222-3333-4444-555555555555")
    assert creds.access_token is None
    assert creds.refresh_token is None
    # Re-keying keeps one row and one data key.
    vault.save_service_key(4, Secret("second-service-key-value"), ["x"])
    assert vault.credentials(4).service_key == Secret("second-service-key-value")
    assert len(vault.list()) == 1


def test_compare_and_swap(vault: SqlTokenVault, clock: FakeClock) -> None:
    vault.save_oauth_installation(installation(5, 0.0), tokens("v1", 100.0))
    v1 = vault.credentials(5).version
    clock.advance(60)
    assert vault.swap_tokens(5, v1, tokens("v2", 200.0)) is True
    # A second writer holding the old version loses and writes nothing.
    assert vault.swap_tokens(5, v1, tokens("late", 300.0)) is False
    creds = vault.credentials(5)
    assert (creds.version, creds.access_token, creds.expires_at) == (
        v1 + 1,
        Secret("ACCESS-v2-6f1c9a2e7d"),
        200.0,
    )
    inst = vault.get(5)
    assert inst is not None
    assert inst.last_refresh_at == clock.now()
    assert inst.access_expires_at == 200.0
    # No refresh token in the answer: the stored one is kept.
    only_access = TokenSet(Secret("ACCESS-v3-only"), None, 400.0)
    assert vault.swap_tokens(5, v1 + 1, only_access)
    assert vault.credentials(5).refresh_token == Secret("REFRESH-v2-b84d03c5e1")
    with pytest.raises(UnknownPortalError):
        vault.swap_tokens(404, 1, only_access)


def test_status_and_failure_counter(vault: SqlTokenVault) -> None:
    vault.save_oauth_installation(installation(6, 0.0), tokens("s", 100.0))
    assert vault.record_refresh_failure(6, "timeout") == 1
    assert vault.record_refresh_failure(6, "http_503") == 2
    inst = vault.get(6)
    assert inst is not None
    assert (inst.refresh_failures, inst.last_error) == (2, "http_503")
    vault.set_status(6, InstallationStatus.NEEDS_REAUTH, error="invalid_grant")
    inst = vault.get(6)
    assert inst is not None
    assert (inst.status, inst.last_error) == (InstallationStatus.NEEDS_REAUTH, "invalid_grant")
    # A successful refresh resets the consecutive-failure counter.
    assert vault.swap_tokens(6, vault.credentials(6).version, tokens("ok", 200.0))
    inst = vault.get(6)
    assert inst is not None
    assert (inst.refresh_failures, inst.last_error) == (0, None)
    with pytest.raises(UnknownPortalError):
        vault.set_status(404, InstallationStatus.ACTIVE)
    with pytest.raises(UnknownPortalError):
        vault.record_refresh_failure(404, "x")


def test_erase_destroys_key_and_ciphertexts_but_keeps_the_row(vault: SqlTokenVault) -> None:
    vault.save_oauth_installation(installation(7, 0.0), tokens("gone", 100.0))
    vault.save_oauth_installation(installation(8, 0.0), tokens("kept", 100.0))
    stale_version = vault.credentials(7).version
    vault.erase(7)
    inst = vault.get(7)
    assert inst is not None
    assert inst.status is InstallationStatus.UNINSTALLED
    assert inst.key_id is None
    with vault.engine.connect() as conn:
        assert (
            conn.execute(
                sa.select(sa.func.count()).select_from(data_keys).where(data_keys.c.portal_id == 7)
            ).scalar_one()
            == 0
        )
        row = conn.execute(sa.select(installations).where(installations.c.portal_id == 7)).one()
    assert (row.access_token_ct, row.refresh_token_ct, row.service_key_ct) == (None, None, None)
    with pytest.raises(CredentialsErasedError):
        vault.credentials(7)
    assert isinstance(CredentialsErasedError("x"), DecryptionError)
    # A refresh that started before the uninstall cannot resurrect the tokens.
    assert vault.swap_tokens(7, stale_version, tokens("zombie", 1.0)) is False
    vault.erase(7)  # idempotent
    assert vault.credentials(8).access_token == Secret("ACCESS-kept-6f1c9a2e7d")
    with pytest.raises(UnknownPortalError):
        vault.erase(404)


def test_rotation_rewraps_online_and_old_keys_can_be_retired(make_vault: MakeVault) -> None:
    old = make_vault(KEY_A)
    for pid in (10, 11, 12):
        old.save_oauth_installation(installation(pid, 0.0), tokens(f"r{pid}", 100.0))
    old.save_service_key(13, Secret("service-key-for-13"), ["a"])
    old.erase(12)

    both = make_vault(f"{KEY_B},{KEY_A}")
    # Before rotating: old rows are readable with the old key still configured.
    assert both.credentials(10).access_token == Secret("ACCESS-r10-6f1c9a2e7d")
    new_row = both.save_oauth_installation(installation(14, 0.0), tokens("r14", 100.0))
    assert new_row.key_id == "kb"  # the newest key encrypts
    assert both.rotate_master_key() == 3  # 10, 11, 13 (12 is erased, 14 already new)
    assert both.rotate_master_key() == 0  # idempotent
    assert {i.key_id for i in both.list() if i.portal_id != 12} == {"kb"}

    only_new = make_vault(KEY_B)
    for pid in (10, 11, 14):
        assert only_new.credentials(pid).access_token == Secret(f"ACCESS-r{pid}-6f1c9a2e7d")
    assert only_new.credentials(13).service_key == Secret("service-key-for-13")
    # Versions are untouched: a refresh racing the rotation still wins its CAS.
    assert only_new.credentials(10).version == 1
    ops = [e.operation for e in only_new.audit_log()]
    assert ops.count("vault.rewrap") == 3
    assert ops[-2:] == ["keys.rotate", "keys.rotate"]


def test_unknown_key_id_names_the_missing_key(make_vault: MakeVault) -> None:
    make_vault(KEY_A).save_oauth_installation(installation(20, 0.0), tokens("u", 100.0))
    with pytest.raises(UnknownKeyError, match="'ka'"):
        make_vault(KEY_B).credentials(20)
    with pytest.raises(UnknownKeyError, match="'ka'"):
        make_vault(KEY_B).rotate_master_key()


def _flip_last_byte(vault: SqlTokenVault, table: sa.Table, column: str, pid: int) -> None:
    with vault.engine.begin() as conn:
        blob = bytearray(
            conn.execute(sa.select(table.c[column]).where(table.c.portal_id == pid)).scalar_one()
        )
        blob[-1] ^= 0x01
        conn.execute(table.update().where(table.c.portal_id == pid).values({column: bytes(blob)}))


@pytest.mark.parametrize(
    ("table", "column"),
    [
        (installations, "access_token_ct"),
        (installations, "refresh_token_ct"),
        (data_keys, "wrapped_key"),
    ],
)
def test_flipped_byte_fails_to_decrypt(vault: SqlTokenVault, table: sa.Table, column: str) -> None:
    vault.save_oauth_installation(installation(30, 0.0), tokens("t", 100.0))
    _flip_last_byte(vault, table, column, 30)
    with pytest.raises(DecryptionError):
        vault.credentials(30)


def test_ciphertext_moved_between_portals_or_columns_fails(vault: SqlTokenVault) -> None:
    vault.save_oauth_installation(installation(31, 0.0), tokens("a", 100.0))
    vault.save_oauth_installation(installation(32, 0.0), tokens("b", 100.0))
    with vault.engine.begin() as conn:
        row = conn.execute(sa.select(installations).where(installations.c.portal_id == 31)).one()
        key = conn.execute(sa.select(data_keys).where(data_keys.c.portal_id == 31)).one()
        # Portal 31's refresh token copied into its own access-token column.
        conn.execute(
            installations.update()
            .where(installations.c.portal_id == 31)
            .values(access_token_ct=row.refresh_token_ct)
        )
        # Portal 31's whole envelope (data key + ciphertext) copied onto portal 32.
        conn.execute(
            data_keys.update()
            .where(data_keys.c.portal_id == 32)
            .values(key_id=key.key_id, wrapped_key=key.wrapped_key)
        )
        conn.execute(
            installations.update()
            .where(installations.c.portal_id == 32)
            .values(access_token_ct=row.access_token_ct)
        )
    with pytest.raises(DecryptionError, match="access_token of portal 31"):
        vault.credentials(31)
    with pytest.raises(DecryptionError, match="data key of portal 32"):
        vault.credentials(32)


def test_rotation_is_online_readers_keep_working(make_vault: MakeVault) -> None:
    old = make_vault(KEY_A)
    portals = list(range(40, 60))
    for pid in portals:
        old.save_oauth_installation(installation(pid, 0.0), tokens(f"o{pid}", 100.0))
    both = make_vault(f"{KEY_B},{KEY_A}")
    errors: list[BaseException] = []
    reads = [0]
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            for pid in portals:
                try:
                    token = both.credentials(pid).access_token
                    assert token == Secret(f"ACCESS-o{pid}-6f1c9a2e7d")
                    reads[0] += 1
                except BaseException as exc:
                    errors.append(exc)
                    return

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        assert both.rotate_master_key() == len(portals)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert errors == []
    assert reads[0] > 0
    assert {i.key_id for i in both.list()} == {"kb"}


def test_error_codes_are_redacted_and_fit_their_column(vault: SqlTokenVault) -> None:
    vault.save_oauth_installation(installation(70, 0.0), tokens("err", 100.0))
    vault.record_refresh_failure(70, "refresh_token=REFRESH-err-b84d03c5e1 " + "x" * 300)
    inst = vault.get(70)
    assert inst is not None
    assert inst.last_error is not None
    assert "REFRESH-err" not in inst.last_error
    assert len(inst.last_error) == 200
    vault.set_status(70, InstallationStatus.ACTIVE)
    assert vault.audit_log()[-1].detail == {"status": "active"}  # no "error": "None"


def test_database_errors_become_vault_errors_without_parameters(database_url: str) -> None:
    from hubguard.db import create_engine
    from hubguard.errors import VaultError
    from hubguard.vault.crypto import MasterKeyring

    engine = create_engine(database_url)  # deliberately not migrated
    try:
        bare = SqlTokenVault(engine, MasterKeyring.parse(KEY_A))
        with pytest.raises(VaultError, match=r"during vault\.install") as caught:
            bare.save_oauth_installation(installation(1, 0.0), tokens("nodb", 1.0))
        assert "ACCESS-nodb" not in str(caught.value)
        assert caught.value.__cause__ is None
        with pytest.raises(VaultError, match="during get"):
            bare.get(1)
    finally:
        engine.dispose()
