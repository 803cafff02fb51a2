"""Single-flight refresh locks: one holder per portal across threads *and* processes.

Two layers, taken in this order and released in reverse:

1. A per-portal :class:`threading.Lock` on the vault instance, so threads of one process queue
   in memory instead of each holding a database connection while they wait.
2. A cross-process lock:

   * PostgreSQL: a session-level ``pg_advisory_lock`` on a dedicated pooled connection, released
     with ``pg_advisory_unlock`` in ``finally``. If the unlock cannot be confirmed the connection
     is invalidated (closed), which makes the server drop the lock: a lock never leaks back into
     the pool. If the process dies, the server ends the session and frees the lock.
   * SQLite: an OS lock (``fcntl.flock``) on ``<database>.locks/portal-<id>.lock``. The obvious
     alternative, a ``BEGIN IMMEDIATE`` transaction held for the whole refresh, takes SQLite's
     single *database-wide* write lock: every other writer in every process (webhook intake,
     verdicts, other portals' refreshes, and the lock holder's own ``swap_tokens`` on any other
     connection) would stall for the length of a network call to HubSpot, or deadlock until the
     busy timeout. ``flock`` locks only this portal, is released by the kernel if the process
     dies, and lets writes inside the lock use ordinary short transactions. flock locks belong
     to an open file description, so two vault instances in one process exclude each other too.
   * An in-memory SQLite database is private to its process: the thread lock alone suffices.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool

__all__ = ["RefreshLocks", "advisory_key"]


def advisory_key(portal_id: int, namespace: str = "hubguard.vault.refresh") -> int:
    """A signed 64-bit PostgreSQL advisory-lock key for a portal, namespaced so other users
    (and hubguard's other locks: the spam filter's learning) don't collide."""
    digest = hashlib.sha256(f"{namespace}:{portal_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _sqlite_lock_dir(engine: Engine) -> Path | None:
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return Path(database).resolve().parent / (Path(database).name + ".locks")


class RefreshLocks:
    """Per-portal single-flight locks for one engine. Holds no database state of its own."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._guard = threading.Lock()
        self._thread_locks: dict[int, threading.Lock] = {}
        self._lock_engine: Engine | None = None

    def _lock_connections(self) -> Engine:
        """An unpooled engine on the same database for the advisory locks' sessions. A lock
        holder also needs a pooled connection for its re-read and write: with its lock session
        taken from the same pool, 15 portals refreshing at once held all 5 + 10 connections and
        waited on each other until the pool timed out (measured, 30 s)."""
        with self._guard:
            if self._lock_engine is None:
                self._lock_engine = sa.create_engine(self._engine.url, poolclass=NullPool)
            return self._lock_engine

    def _thread_lock(self, portal_id: int) -> threading.Lock:
        with self._guard:
            return self._thread_locks.setdefault(portal_id, threading.Lock())

    @contextlib.contextmanager
    def hold(self, portal_id: int) -> Iterator[None]:
        """Block until this portal's lock is ours; release on exit, whatever happens."""
        with self._thread_lock(portal_id):
            if self._engine.dialect.name == "postgresql":
                with self._advisory(portal_id):
                    yield
            elif self._engine.dialect.name == "sqlite":
                with self._flock(portal_id):
                    yield
            else:  # pragma: no cover - only the two supported backends exist
                raise NotImplementedError(self._engine.dialect.name)

    @contextlib.contextmanager
    def _advisory(self, portal_id: int) -> Iterator[None]:
        key = advisory_key(portal_id)
        # AUTOCOMMIT: the session-level lock must not depend on a transaction staying open.
        conn = self._lock_connections().connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            conn.execute(sa.select(sa.func.pg_advisory_lock(key)))
            try:
                yield
            finally:
                released = False
                try:
                    released = bool(
                        conn.execute(sa.select(sa.func.pg_advisory_unlock(key))).scalar()
                    )
                finally:
                    if not released:
                        conn.invalidate()  # closing the session frees any lock it holds
        finally:
            conn.close()

    @contextlib.contextmanager
    def _flock(self, portal_id: int) -> Iterator[None]:
        directory = _sqlite_lock_dir(self._engine)
        if directory is None:
            yield
            return
        directory.mkdir(mode=0o700, exist_ok=True)
        # Lock files are never deleted: unlinking a lock file races with a waiter on the old inode.
        fd = os.open(directory / f"portal-{portal_id}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
