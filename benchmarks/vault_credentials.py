"""How much of `SqlTokenVault.credentials()` is cryptography, and how much is the database?

Run: ``.venv/bin/python benchmarks/vault_credentials.py [postgresql://postgres@127.0.0.1/db]``

Prints, side by side on the same machine and run: the envelope decryption alone (unwrap the
portal's data key + decrypt two tokens), one full ``credentials()`` call (one SELECT + the same
decryption), and their ratio. No thresholds: the point is the proportion.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from hubguard.config import Secret
from hubguard.db import create_engine, migrate
from hubguard.models import AuthType, Installation, InstallationStatus, TokenSet
from hubguard.vault.crypto import DataKey, MasterKeyring, new_master_key_line
from hubguard.vault.store import SqlTokenVault

N = 2000


def per_call_us(fn: object, n: int = N) -> float:
    assert callable(fn)
    fn()  # warm up
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n * 1e6


def measure(url: str) -> None:
    engine = create_engine(url)
    migrate(engine)
    ring = MasterKeyring.parse(Secret(new_master_key_line()))
    vault = SqlTokenVault(engine, ring)
    inst = Installation(1, AuthType.OAUTH, InstallationStatus.ACTIVE, ("oauth",), 0.0)
    vault.save_oauth_installation(
        inst, TokenSet(Secret("a" * 40), Secret("r" * 36), time.time() + 1800)
    )
    dek = DataKey.generate()
    key_id, wrapped = ring.wrap(1, dek)
    access = dek.encrypt(1, "access_token", "a" * 40)
    refresh = dek.encrypt(1, "refresh_token", "r" * 36)

    def crypto_only() -> None:
        key = ring.unwrap(1, key_id, wrapped)
        key.decrypt(1, "access_token", access)
        key.decrypt(1, "refresh_token", refresh)

    crypto = per_call_us(crypto_only)
    full = per_call_us(lambda: vault.credentials(1))
    backend = engine.dialect.name
    print(
        f"{backend:10s} crypto {crypto:7.1f} us | credentials() {full:7.1f} us | "
        f"crypto share {crypto / full:5.1%}"
    )
    engine.dispose()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        measure(f"sqlite:///{Path(tmp) / 'bench.db'}")
    for url in sys.argv[1:]:
        measure(url)


if __name__ == "__main__":
    main()
