"""Shared test values for the vault tests (importable by spawned worker processes, too)."""

from __future__ import annotations

import base64
from typing import Any

from hubguard.config import Secret
from hubguard.models import AuthType, Installation, InstallationStatus, TokenSet

# Fixed, test-only master keys (32 bytes each), so failures are reproducible.
KEY_A = "ka:" + base64.urlsafe_b64encode(bytes(range(32))).decode()
KEY_B = "kb:" + base64.urlsafe_b64encode(bytes(range(100, 132))).decode()


def installation(portal_id: int, now: float, **changes: object) -> Installation:
    values: dict[str, object] = {
        "portal_id": portal_id,
        "auth_type": AuthType.OAUTH,
        "status": InstallationStatus.ACTIVE,
        "scopes_granted": ("oauth", "conversations.read"),
        "installed_at": now,
        "hub_domain": f"portal{portal_id}.hubspot.com",
        "user": "admin@example.com",
        "user_id": 77,
    }
    values.update(changes)
    return Installation(**values)  # type: ignore[arg-type]


def tokens(tag: str, expires_at: float) -> TokenSet:
    """Distinctive token strings, easy to search for in raw database bytes."""
    return TokenSet(
        access_token=Secret(f"ACCESS-{tag}-6f1c9a2e7d"),
        refresh_token=Secret(f"REFRESH-{tag}-b84d03c5e1"),
        expires_at=expires_at,
        scopes=("oauth", "conversations.read"),
    )


def refresh_lock_worker(
    url: str,
    keys: str,
    portal_id: int,
    threads: int,
    rounds: int,
    inside: Any,
    overlaps: Any,
    lost: Any,
    start: Any,
    use_lock: bool = True,
) -> None:
    """One process of the refresh-lock test: ``threads`` threads each refresh ``rounds`` times.

    A "refresh" re-reads the token inside the lock, waits a little (widening any race), and
    writes token n+1 with compare-and-swap. Overlapping holders or stale reads show up as
    ``overlaps`` (two inside at once) or ``lost`` (a CAS that failed) and a final n too small.
    """
    import contextlib
    import threading
    import time

    from hubguard.db import create_engine
    from hubguard.vault.crypto import MasterKeyring
    from hubguard.vault.store import SqlTokenVault

    engine = create_engine(url)
    vault = SqlTokenVault(engine, MasterKeyring.parse(keys), actor="lock-test")

    def run() -> None:
        for _ in range(rounds):
            with vault.refresh_lock(portal_id) if use_lock else contextlib.nullcontext():
                with inside.get_lock():
                    inside.value += 1
                    if inside.value > 1:
                        overlaps.value += 1
                creds = vault.credentials(portal_id)
                assert creds.access_token is not None
                n = int(creds.access_token.reveal().split("-")[1])
                time.sleep(0.003)  # not timing anything: it holds the critical section open
                swapped = vault.swap_tokens(
                    portal_id, creds.version, TokenSet(Secret(f"tok-{n + 1}-x"), None, 0.0)
                )
                with inside.get_lock():
                    inside.value -= 1
                    if not swapped:
                        lost.value += 1

    start.wait()
    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    engine.dispose()
