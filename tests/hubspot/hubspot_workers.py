"""Worker processes for the cross-process tests (importable by ``spawn``ed children)."""

from __future__ import annotations

import threading
from typing import Any

from hubguard.config import Secret, Settings
from hubguard.db import create_engine
from hubguard.hubspot.client import HubSpotClient
from hubguard.hubspot.conversations import Conversations
from hubguard.vault.crypto import MasterKeyring
from hubguard.vault.store import SqlTokenVault


def call_storm_worker(
    database_url: str,
    master_key: str,
    settings_values: dict[str, Any],
    portal_id: int,
    threads: int,
    start: Any,
    ok: Any,
    failed: Any,
) -> None:
    """One worker process: ``threads`` threads each make one API call at the same instant."""
    settings = Settings(
        **{**settings_values, "client_secret": Secret(settings_values["client_secret"])}
    )
    # A few connections per process, as a real worker would have (PostgreSQL caps clients).
    engine = create_engine(database_url, pool_size=4, max_overflow=4)
    vault = SqlTokenVault(engine, MasterKeyring.parse(master_key), actor="worker")
    client = HubSpotClient(settings, vault)  # real HTTP, real clock: production wiring
    barrier = threading.Barrier(threads)

    def one_call() -> None:
        barrier.wait()
        try:
            Conversations(client.for_portal(portal_id)).list_inboxes()
        except Exception:
            with failed.get_lock():
                failed.value += 1
            raise
        with ok.get_lock():
            ok.value += 1

    start.wait(60)
    workers = [threading.Thread(target=one_call) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    client.close()
    engine.dispose()
