"""Master keyring parsing, envelope formats, AAD binding and the local key file."""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path

import pytest
from vault_helpers import KEY_A, KEY_B

from hubguard.config import Secret
from hubguard.errors import ConfigError, DecryptionError, UnknownKeyError
from hubguard.vault.crypto import DataKey, MasterKeyring, ensure_local_key_file

RAW = base64.urlsafe_b64encode(bytes(range(32))).decode()


def test_missing_keys_say_how_to_make_one() -> None:
    for value in (None, "", " , ", Secret("")):
        with pytest.raises(ConfigError, match=r"hubguard keys new.*HUBGUARD_MASTER_KEYS"):
            MasterKeyring.parse(value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("ka:not*base64!", "not URL-safe base64"),
        ("ka:" + base64.urlsafe_b64encode(b"short").decode(), "decodes to 5 bytes"),
        ("ka:" + base64.urlsafe_b64encode(bytes(33)).decode(), "decodes to 33 bytes"),
        ("bad id:" + RAW, "key id must be"),
        (f"{KEY_A},{KEY_A}", "names key id 'ka' twice"),
    ],
)
def test_malformed_keys_are_refused_clearly(value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        MasterKeyring.parse(Secret(value))
    assert RAW not in str(caught.value)  # the message never echoes key material


def test_newest_first_and_derived_ids_are_stable() -> None:
    ring = MasterKeyring.parse(f"{KEY_B},{RAW}")
    again = MasterKeyring.parse(RAW)
    assert ring.newest.key_id == "kb"
    derived = ring.key_ids[1]
    assert derived == again.newest.key_id
    assert derived.startswith("h")
    assert len(derived) == 13
    assert RAW not in repr(ring)
    assert "material" not in repr(ring.newest)
    # Unpadded base64 is accepted, too (people trim the '=').
    assert MasterKeyring.parse(RAW.rstrip("=")).newest.key_id == derived


def test_wrap_uses_newest_and_any_configured_key_unwraps() -> None:
    old = MasterKeyring.parse(KEY_A)
    both = MasterKeyring.parse(f"{KEY_B},{KEY_A}")
    dek = DataKey.generate()
    key_id, wrapped = old.wrap(7, dek)
    assert key_id == "ka"
    assert wrapped[0] == 1  # version byte
    assert both.unwrap(7, key_id, wrapped).material == dek.material
    assert both.wrap(7, dek)[0] == "kb"


def test_unknown_key_id_is_named() -> None:
    with pytest.raises(UnknownKeyError, match=r"'kz'.*configured: ka"):
        MasterKeyring.parse(KEY_A).unwrap(1, "kz", b"\x01" + bytes(60))


def test_wrapped_key_is_bound_to_portal_and_key_id() -> None:
    ring = MasterKeyring.parse(KEY_A)
    key_id, wrapped = ring.wrap(1, DataKey.generate())
    with pytest.raises(DecryptionError):
        ring.unwrap(2, key_id, wrapped)
    tampered = bytearray(wrapped)
    tampered[-1] ^= 1
    with pytest.raises(DecryptionError):
        ring.unwrap(1, key_id, bytes(tampered))
    # Same material under another id: the id is in the AAD, so relabelling fails too.
    relabelled = MasterKeyring.parse("other:" + KEY_A.split(":", 1)[1])
    with pytest.raises(DecryptionError):
        relabelled.unwrap(1, "other", wrapped)


def test_secret_is_bound_to_portal_and_column() -> None:
    dek = DataKey.generate()
    blob = dek.encrypt(5, "access_token", "tok")
    assert dek.decrypt(5, "access_token", blob) == "tok"
    assert blob != dek.encrypt(5, "access_token", "tok")  # fresh nonce each time
    for portal, column in ((6, "access_token"), (5, "refresh_token")):
        with pytest.raises(DecryptionError):
            dek.decrypt(portal, column, blob)
    with pytest.raises(DecryptionError, match="format version 9"):
        dek.decrypt(5, "access_token", b"\x09" + blob[1:])
    with pytest.raises(DecryptionError, match="truncated"):
        dek.decrypt(5, "access_token", blob[:10])
    with pytest.raises(DecryptionError):
        DataKey.generate().decrypt(5, "access_token", blob)
    assert "tok" not in repr(dek)


def test_local_key_file_is_created_private_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "master.key"
    first = ensure_local_key_file(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert MasterKeyring.parse(first).newest.key_id.startswith("k")
    assert ensure_local_key_file(path) == first
    assert [p.name for p in path.parent.iterdir()] == ["master.key"]  # no temp files left


def test_local_key_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    ensure_local_key_file(path)
    os.chmod(path, 0o644)
    with pytest.raises(ConfigError, match="chmod 600"):
        ensure_local_key_file(path)


def test_local_key_file_with_garbage_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    path.write_text("nonsense\n")
    os.chmod(path, 0o600)
    with pytest.raises(ConfigError, match=r"base64|bytes"):
        ensure_local_key_file(path)


def test_package_exports_are_stable() -> None:
    import hubguard.vault as vault

    assert vault.__all__ == sorted(vault.__all__)
    assert set(vault.__all__) == {
        "AuditChainReport",
        "DataKey",
        "MasterKey",
        "MasterKeyring",
        "SqlTokenVault",
        "TokenVault",
        "ensure_local_key_file",
    }
