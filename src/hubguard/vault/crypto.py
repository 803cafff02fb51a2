"""Envelope encryption: master keys (KEKs) wrap per-portal data keys (DEKs); DEKs encrypt secrets.

Formats (all AES-256-GCM through ``cryptography``):

* wrapped DEK   = ``0x01 | nonce(12) | AESGCM(KEK).encrypt(DEK)``, AAD binds it to the portal and
  the master key id (a wrapped key copied to another portal's row does not unwrap).
* secret        = ``0x01 | nonce(12) | AESGCM(DEK).encrypt(utf-8 text)``, AAD binds it to the
  portal and the column, so a ciphertext moved to another row or column fails to decrypt.
* audit MAC key = wrapped like a DEK; its AAD binds the master key id and the first audit entry
  the key seals (entries before it were written before the log was keyed).

The leading version byte lets a future format live beside this one. Nonces are random 96-bit
values: with one DEK per portal and a handful of writes per hour, the birthday bound is far away.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import secrets
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from hubguard.config import Secret
from hubguard.errors import ConfigError, DecryptionError, UnknownKeyError

__all__ = [
    "FORMAT_VERSION",
    "DataKey",
    "MasterKey",
    "MasterKeyring",
    "ensure_local_key_file",
    "new_master_key_line",
]

FORMAT_VERSION = 1
_NONCE = 12
_KEY_BYTES = 32
_KEY_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_HOW_TO = "run `hubguard keys new` and put its output first in HUBGUARD_MASTER_KEYS"


@dataclass(frozen=True)
class MasterKey:
    """One key-encryption key. The material never shows in ``repr``."""

    key_id: str
    material: bytes = field(repr=False)

    def _aead(self) -> AESGCM:
        return AESGCM(self.material)


def _derived_key_id(material: bytes) -> str:
    # Stable across restarts and processes, and reveals nothing useful about the key.
    return "h" + hashlib.sha256(b"hubguard.master-key-id\x00" + material).hexdigest()[:12]


def _parse_one(index: int, item: str) -> MasterKey:
    where = f"HUBGUARD_MASTER_KEYS entry {index + 1}"
    key_id: str | None = None
    encoded = item
    if ":" in item:
        key_id, encoded = item.split(":", 1)
        if not _KEY_ID.match(key_id):
            raise ConfigError(
                f"{where}: key id must be 1-64 characters of letters, digits, '.', '_' or '-'"
            )
    try:
        padded = encoded + "=" * (-len(encoded) % 4)
        material = base64.b64decode(padded, altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise ConfigError(
            f"{where} is not URL-safe base64; {_HOW_TO} to get a well-formed key"
        ) from None
    if len(material) != _KEY_BYTES:
        raise ConfigError(
            f"{where} decodes to {len(material)} bytes, a master key must be exactly "
            f"{_KEY_BYTES}; {_HOW_TO}"
        )
    return MasterKey(key_id or _derived_key_id(material), material)


class MasterKeyring:
    """The configured master keys, newest first. The newest wraps; every one of them unwraps."""

    def __init__(self, keys: Sequence[MasterKey]) -> None:
        if not keys:
            raise ConfigError(f"no master key is configured: {_HOW_TO}")
        seen: set[str] = set()
        for key in keys:
            if key.key_id in seen:
                raise ConfigError(
                    f"HUBGUARD_MASTER_KEYS names key id {key.key_id!r} twice; each key needs "
                    "its own id"
                )
            seen.add(key.key_id)
        self._keys = tuple(keys)
        self._by_id = {key.key_id: key for key in keys}

    @classmethod
    def parse(cls, value: Secret | str | None) -> MasterKeyring:
        """Parse ``HUBGUARD_MASTER_KEYS``: comma-separated, newest first, ``[keyid:]<base64>``."""
        raw = value.reveal() if isinstance(value, Secret) else (value or "")
        items = [part.strip() for part in raw.split(",") if part.strip()]
        if not items:
            raise ConfigError(f"HUBGUARD_MASTER_KEYS is not set: {_HOW_TO}")
        return cls([_parse_one(i, item) for i, item in enumerate(items)])

    @property
    def newest(self) -> MasterKey:
        return self._keys[0]

    @property
    def key_ids(self) -> tuple[str, ...]:
        return tuple(key.key_id for key in self._keys)

    def get(self, key_id: str) -> MasterKey:
        try:
            return self._by_id[key_id]
        except KeyError:
            raise UnknownKeyError(
                f"master key {key_id!r} is not configured (configured: "
                f"{', '.join(self.key_ids)}); add it to HUBGUARD_MASTER_KEYS"
            ) from None

    def __iter__(self) -> Iterator[MasterKey]:
        return iter(self._keys)

    def __repr__(self) -> str:
        return f"MasterKeyring(key_ids={self.key_ids!r})"

    def wrap(self, portal_id: int, dek: DataKey) -> tuple[str, bytes]:
        """Wrap ``dek`` under the newest key; returns ``(key_id, wrapped)``."""
        return self._wrap(dek.material, lambda key_id: _dek_aad(portal_id, key_id))

    def unwrap(self, portal_id: int, key_id: str, wrapped: bytes) -> DataKey:
        """Unwrap a stored data key. UnknownKeyError / DecryptionError when that is impossible."""
        what = f"the data key of portal {portal_id}"
        return DataKey(self._unwrap(key_id, wrapped, _dek_aad(portal_id, key_id), what))

    def wrap_audit_key(self, material: bytes, first_seq: int) -> tuple[str, bytes]:
        """Wrap the audit log's MAC key, bound to the first entry it seals."""
        return self._wrap(material, lambda key_id: _audit_key_aad(key_id, first_seq))

    def unwrap_audit_key(self, key_id: str, wrapped: bytes, first_seq: int) -> bytes:
        """Unwrap the audit log's MAC key (DecryptionError if it, or ``first_seq``, was edited)."""
        aad = _audit_key_aad(key_id, first_seq)
        return self._unwrap(key_id, wrapped, aad, "the audit log's key")

    def _wrap(self, material: bytes, aad_for: Callable[[str], bytes]) -> tuple[str, bytes]:
        kek = self.newest
        nonce = os.urandom(_NONCE)
        sealed = kek._aead().encrypt(nonce, material, aad_for(kek.key_id))
        return kek.key_id, bytes([FORMAT_VERSION]) + nonce + sealed

    def _unwrap(self, key_id: str, wrapped: bytes, aad: bytes, what: str) -> bytes:
        kek = self.get(key_id)
        nonce, sealed = _split(wrapped, what=what)
        try:
            material = kek._aead().decrypt(nonce, sealed, aad)
        except InvalidTag:
            raise DecryptionError(
                f"{what} does not authenticate under master key {key_id!r}: tampered, moved "
                "from another row, or a different key with the same id"
            ) from None
        if len(material) != _KEY_BYTES:
            raise DecryptionError(f"{what} is not a {_KEY_BYTES}-byte key")
        return material


class DataKey:
    """One portal's data key: encrypts and decrypts that portal's secrets, column by column."""

    __slots__ = ("_aead", "material")

    def __init__(self, material: bytes) -> None:
        if len(material) != _KEY_BYTES:
            raise DecryptionError("a data key must be 32 bytes")
        self.material = material
        self._aead = AESGCM(material)

    @classmethod
    def generate(cls) -> DataKey:
        return cls(secrets.token_bytes(_KEY_BYTES))

    def encrypt(self, portal_id: int, column: str, plaintext: str) -> bytes:
        nonce = os.urandom(_NONCE)
        sealed = self._aead.encrypt(nonce, plaintext.encode(), _secret_aad(portal_id, column))
        return bytes([FORMAT_VERSION]) + nonce + sealed

    def decrypt(self, portal_id: int, column: str, blob: bytes) -> str:
        nonce, sealed = _split(blob, what=f"{column} of portal {portal_id}")
        try:
            return self._aead.decrypt(nonce, sealed, _secret_aad(portal_id, column)).decode()
        except InvalidTag:
            raise DecryptionError(
                f"{column} of portal {portal_id} does not authenticate: tampered, or moved "
                "from another portal or column"
            ) from None

    def __repr__(self) -> str:
        return "DataKey(**********)"


def _dek_aad(portal_id: int, key_id: str) -> bytes:
    return f"hubguard/dek/v{FORMAT_VERSION}|portal={portal_id}|kek={key_id}".encode()


def _audit_key_aad(key_id: str, first_seq: int) -> bytes:
    return f"hubguard/audit-key/v{FORMAT_VERSION}|first_seq={first_seq}|kek={key_id}".encode()


def _secret_aad(portal_id: int, column: str) -> bytes:
    return f"hubguard/secret/v{FORMAT_VERSION}|portal={portal_id}|column={column}".encode()


def _split(blob: bytes, *, what: str) -> tuple[bytes, bytes]:
    if len(blob) < 1 + _NONCE + 16:
        raise DecryptionError(f"{what} is truncated")
    if blob[0] != FORMAT_VERSION:
        raise DecryptionError(f"{what} has unknown format version {blob[0]}")
    return blob[1 : 1 + _NONCE], blob[1 + _NONCE :]


def new_master_key_line() -> str:
    """A fresh ``keyid:base64`` master key, the format of one HUBGUARD_MASTER_KEYS entry."""
    key_id = "k" + secrets.token_hex(4)
    material = base64.urlsafe_b64encode(secrets.token_bytes(_KEY_BYTES)).decode()
    return f"{key_id}:{material}"


def ensure_local_key_file(path: Path) -> Secret:
    """Read the master key file at ``path``, creating it (mode 0600) with a fresh key if missing.

    Refuses (ConfigError) a file that group or others may read or write, the way ssh refuses a
    private key with loose permissions. The content is validated as HUBGUARD_MASTER_KEYS.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # Write a complete file under a private name, then link it into place: link() fails if
        # the name exists, so two processes starting at once never both install a key, and no
        # reader ever sees a half-written file.
        temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(new_master_key_line() + "\n")
            os.link(temp, path)
        except FileExistsError:
            pass
        finally:
            temp.unlink(missing_ok=True)
    info = path.stat()
    if info.st_uid != os.getuid():
        raise ConfigError(f"master key file {path} belongs to another user; refusing to use it")
    mode = stat.S_IMODE(info.st_mode)
    if mode & 0o077:
        raise ConfigError(
            f"master key file {path} has mode {mode:o}; it must be readable by its owner only "
            f"(chmod 600 {path})"
        )
    value = Secret(path.read_text(encoding="utf-8").strip())
    MasterKeyring.parse(value)  # fail now, with a clear message, rather than at first use
    return value
