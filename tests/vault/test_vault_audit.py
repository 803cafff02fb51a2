"""The audit log: append-only, hash-chained, keyed, gapless, secret-free, on every backend."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from vault_helpers import KEY_A, KEY_B, installation, tokens

from hubguard.errors import DecryptionError, UnknownKeyError
from hubguard.logs import register_secret
from hubguard.vault.audit import GENESIS_HASH, entry_hash
from hubguard.vault.store import SqlTokenVault
from hubguard.vault.tables import audit_key, audit_log


def test_entries_chain_and_read_back(vault: SqlTokenVault) -> None:
    vault.save_oauth_installation(installation(1, 0.0), tokens("a", 100.0))
    vault.audit("api.call", portal_id=1, actor="worker", detail={"path": "/conversations/v3"})
    vault.audit("api.call", portal_id=2, actor="worker")
    entries = vault.audit_log()
    assert [e.seq for e in entries] == [1, 2, 3]
    assert [e.operation for e in entries] == ["vault.install", "api.call", "api.call"]
    assert entries[0].actor == "test"  # the vault's own entries carry its actor
    assert entries[1].detail == {"path": "/conversations/v3"}
    first = entries[0]
    # Sealed under the audit key: not the plain hash anyone could compute.
    assert first.entry_hash != entry_hash(
        GENESIS_HASH, 1, first.at, 1, "vault.install", "test", first.detail
    )
    assert [e.seq for e in vault.audit_log(portal_id=1)] == [1, 2]
    assert [e.seq for e in vault.audit_log(limit=2)] == [2, 3]
    report = vault.verify_audit_chain()
    assert report
    assert (report.entries, report.first_bad_seq, report.unsealed) == (3, None, 0)


def test_tampering_with_a_past_row_is_detected(vault: SqlTokenVault) -> None:
    for n in range(5):
        vault.audit("api.call", portal_id=9, detail={"n": str(n)})
    with vault.engine.begin() as conn:
        conn.execute(
            audit_log.update().where(audit_log.c.seq == 3).values(detail=json.dumps({"n": "x"}))
        )
    report = vault.verify_audit_chain()
    assert not report
    assert report.first_bad_seq == 3


def test_deleting_a_row_is_detected(vault: SqlTokenVault) -> None:
    for n in range(4):
        vault.audit("api.call", detail={"n": str(n)})
    with vault.engine.begin() as conn:
        conn.execute(audit_log.delete().where(audit_log.c.seq == 2))
    assert vault.verify_audit_chain().first_bad_seq == 3


def test_rewriting_a_row_with_a_recomputed_hash_is_caught_at_that_row(
    vault: SqlTokenVault,
) -> None:
    for n in range(3):
        vault.audit("api.call", detail={"n": str(n)})
    with vault.engine.begin() as conn:
        row = conn.execute(sa.select(audit_log).where(audit_log.c.seq == 2)).one()
        forged = entry_hash(row.prev_hash, 2, row.at, None, "api.call", "hubguard", {"n": "x"})
        conn.execute(
            audit_log.update()
            .where(audit_log.c.seq == 2)
            .values(detail=json.dumps({"n": "x"}), entry_hash=forged)
        )
    assert vault.verify_audit_chain().first_bad_seq == 2  # without the key, no valid seal


def test_details_never_hold_secrets(vault: SqlTokenVault) -> None:
    register_secret("a-registered-secret-value")
    entry = vault.audit(
        "api.call",
        detail={
            "note": "used a-registered-secret-value",
            "header": "Bearer CJSP5qf1KhICAQEYs-gDIIGOBii1",
            "service_key": "pat-na1-11111111-2222-3333-4444-555555555555",
        },
    )
    stored = json.dumps(vault.audit_log()[-1].detail)
    for leaked in (
        "a-registered-secret-value",
        "CJSP5qf1KhICAQEYs-gDIIGOBii1",
        "pat-na1-11111111-2222-3333-4444-555555555555",
    ):
        assert leaked not in stored
        assert leaked not in json.dumps(entry.detail)
    assert vault.verify_audit_chain()
    # The vault's own entries carry no secrets either: install, swap, failure, erase.
    vault.save_oauth_installation(installation(5, 0.0), tokens("audit", 100.0))
    vault.swap_tokens(5, 1, tokens("audit2", 200.0))
    vault.record_refresh_failure(5, "timeout")
    vault.erase(5)
    with vault.engine.connect() as conn:
        everything = " ".join(str(tuple(row)) for row in conn.execute(sa.select(audit_log)).all())
    assert "ACCESS-audit" not in everything
    assert "REFRESH-audit" not in everything


def test_concurrent_appends_keep_one_gapless_chain(vault: SqlTokenVault) -> None:
    def append(worker: int) -> None:
        for n in range(8):
            vault.audit("api.call", portal_id=worker, detail={"n": str(n)})

    threads = [threading.Thread(target=append, args=(w,)) for w in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report = vault.verify_audit_chain()
    assert report
    assert report.entries == 48


def test_an_anchor_catches_cut_off_recent_entries(vault: SqlTokenVault) -> None:
    assert vault.audit_head() == (0, GENESIS_HASH)
    for n in range(4):
        vault.audit("api.call", detail={"n": str(n)})
    anchor = vault.audit_head()
    assert anchor[0] == 4
    vault.audit("api.call", detail={"n": "later"})
    assert vault.verify_audit_chain(anchor)
    with vault.engine.begin() as conn:
        conn.execute(audit_log.delete().where(audit_log.c.seq >= 4))
    assert vault.verify_audit_chain()  # the chain alone cannot tell
    report = vault.verify_audit_chain(anchor)
    assert not report
    assert report.first_bad_seq == 4
    assert not vault.verify_audit_chain((2, "0" * 64))  # an anchor that does not match


def _rewrite_whole_chain(
    vault: SqlTokenVault, seq: int, detail: dict[str, str], *, drop_key: bool = False
) -> None:
    """What a database writer without the master key can do: change one row and re-hash every
    link (plain SHA-256, marked unsealed), and perhaps delete the log's key row too."""
    with vault.engine.begin() as conn:
        rows = conn.execute(sa.select(audit_log).order_by(audit_log.c.seq)).all()
        prev = GENESIS_HASH
        for row in rows:
            new_detail = detail if row.seq == seq else json.loads(row.detail)
            digest = entry_hash(
                prev, row.seq, row.at, row.portal_id, row.operation, row.actor, new_detail
            )
            conn.execute(
                audit_log.update()
                .where(audit_log.c.seq == row.seq)
                .values(
                    detail=json.dumps(new_detail), prev_hash=prev, entry_hash=digest, sealed=False
                )
            )
            prev = digest
        if drop_key:
            conn.execute(audit_key.delete())


def test_a_chain_rewritten_without_the_master_key_is_caught(vault: SqlTokenVault) -> None:
    for n in range(4):
        vault.audit("api.call", detail={"n": str(n)})
    _rewrite_whole_chain(vault, 2, {"n": "forged"})
    report = vault.verify_audit_chain()
    assert not report
    assert report.first_bad_seq == 1  # the key seals from entry 1: none may be unsealed


def test_the_anchor_file_catches_a_rewritten_chain_and_a_cut_off_tail(
    vault: SqlTokenVault, tmp_path: Path
) -> None:
    from hubguard.audit import verify_log_with_anchor

    anchor = tmp_path / "audit-anchor.json"
    first = verify_log_with_anchor(vault, anchor)  # empty log: nothing to hold it to yet
    assert (first.ok, first.entries, first.head_seq) == (True, 0, 0)
    for n in range(4):
        vault.audit("api.call", detail={"n": str(n)})
    second = verify_log_with_anchor(vault, anchor)
    assert (second.ok, second.entries, second.anchored_seq, second.head_seq) == (True, 4, None, 4)
    vault.audit("api.call", detail={"n": "later"})
    third = verify_log_with_anchor(vault, anchor)
    assert (third.ok, third.anchored_seq, third.head_seq) == (True, 4, 5)
    assert "chain intact" in third.summary()
    assert "before the log had a key" not in third.summary()

    # Replaced wholesale, key row included, the log looks like one written before it had a key:
    _rewrite_whole_chain(vault, 2, {"n": "forged"}, drop_key=True)
    alone = vault.verify_audit_chain()
    assert alone  # consistent on its own...
    assert alone.unsealed == 5
    forged = verify_log_with_anchor(vault, anchor)  # ...but not with the head kept outside
    assert not forged.ok
    assert forged.first_bad_seq == 5
    assert "BROKEN" in forged.summary()
    assert json.loads(anchor.read_text())["seq"] == 5  # a failed check never advances it
    assert not verify_log_with_anchor(vault, anchor).ok  # and keeps failing

    anchor.write_text("not json")
    garbled = verify_log_with_anchor(vault, anchor)
    assert not garbled.ok
    assert garbled.problem is not None
    assert "not an anchor file" in garbled.problem


def test_entries_from_before_the_log_had_a_key_stay_verifiable(
    vault: SqlTokenVault, tmp_path: Path
) -> None:
    # A log written by an older hubguard: plain SHA-256 links, no key row.
    with vault.engine.begin() as conn:
        prev = GENESIS_HASH
        for seq in (1, 2):
            digest = entry_hash(prev, seq, float(seq), None, "api.call", "old", {})
            conn.execute(
                audit_log.insert().values(
                    seq=seq,
                    at=float(seq),
                    operation="api.call",
                    actor="old",
                    detail="{}",
                    prev_hash=prev,
                    entry_hash=digest,
                    sealed=False,
                )
            )
            prev = digest
    assert vault.verify_audit_chain().unsealed == 2
    vault.audit("api.call")  # the key is made now and seals from entry 3 on
    vault.audit("api.call")
    report = vault.verify_audit_chain()
    assert (bool(report), report.entries, report.unsealed) == (True, 4, 2)
    with vault.engine.connect() as conn:
        assert conn.execute(sa.select(audit_key.c.first_seq)).scalar_one() == 3
        sealed = conn.execute(sa.select(audit_log.c.sealed).order_by(audit_log.c.seq)).scalars()
        assert list(sealed) == [False, False, True, True]
    # Moving the boundary to pass sealed entries off as old ones breaks the key's binding.
    with vault.engine.begin() as conn:
        conn.execute(audit_key.update().values(first_seq=5))
    with pytest.raises(DecryptionError, match="audit log's key"):
        vault.verify_audit_chain()
    from hubguard.audit import verify_log_with_anchor

    check = verify_log_with_anchor(vault, tmp_path / "anchor.json")
    assert not check.ok
    assert "BROKEN" in check.summary()
    assert "audit log's key does not authenticate" in (check.problem or "")


def test_rotation_rewraps_the_audit_key_and_old_entries_still_verify(
    make_vault: Callable[..., SqlTokenVault],
) -> None:
    old = make_vault(KEY_A)
    for n in range(3):
        old.audit("api.call", detail={"n": str(n)})
    both = make_vault(f"{KEY_B},{KEY_A}")
    both.rotate_master_key()
    ops = [e.operation for e in both.audit_log()]
    assert "vault.rewrap_audit_key" in ops
    only_new = make_vault(KEY_B)  # the old master key retired
    only_new.audit("api.call", detail={"n": "after"})
    report = only_new.verify_audit_chain()
    assert (bool(report), report.entries, report.unsealed) == (True, len(ops) + 1, 0)
    with pytest.raises(UnknownKeyError, match="HUBGUARD_MASTER_KEYS"):
        make_vault(KEY_A).verify_audit_chain()  # only the retired key: cannot check seals
